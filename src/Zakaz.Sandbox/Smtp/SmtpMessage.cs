namespace Zakaz.Sandbox.Smtp;

/// <summary>
/// A message the sandbox accepted: the envelope's sender and recipients, the subject and text part, the login the
/// session used (null for none) and whether the session was encrypted when the message came.
/// </summary>
public sealed record SmtpMessage(string From, IReadOnlyList<string> To, string Subject, string Text, string? User, bool Secure);
