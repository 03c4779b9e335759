namespace Zakaz.Notifications;

/// <summary>A configured way of reaching people (Telegram, e-mail): alerts, the digest and the test message go through it.</summary>
public interface INotificationChannel
{
    /// <summary>The channel's name in records and messages: <c>telegram</c> or <c>email</c>.</summary>
    string Name { get; }

    /// <summary>Delivers the message to every recipient of the channel, or throws <see cref="NotificationException"/> naming what failed.</summary>
    Task SendAsync(Notification notification, CancellationToken cancellationToken = default);
}
