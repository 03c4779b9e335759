namespace Zakaz.Notifications;

/// <summary>A channel could not deliver: the message names the channel, what failed and what to do, never a secret.</summary>
public sealed class NotificationException(string message, Exception? innerException = null) : Exception(message, innerException);
