namespace Zakaz.Notifications;

/// <summary>
/// One message for people: a subject line and a plain-text body of lines. Each channel renders it in its own
/// format (Telegram's HTML with the text escaped, an e-mail's subject and text part), so senders never escape.
/// </summary>
public sealed record Notification(string Subject, string Body);
