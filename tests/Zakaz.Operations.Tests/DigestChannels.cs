using System.Collections.Concurrent;
using Zakaz.Notifications;

namespace Zakaz.Operations.Tests;

/// <summary>A channel that keeps what it was given, or fails like a channel that cannot reach its server.</summary>
internal sealed class DigestRecordingChannel(string name) : INotificationChannel
{
    public string Name => name;

    /// <summary>When set, every send throws this, as a real channel does when its server is down.</summary>
    public string? FailWith { get; set; }

    public ConcurrentQueue<Notification> Received { get; } = new();

    public Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        if (FailWith is not null)
        {
            throw new NotificationException(FailWith);
        }
        Received.Enqueue(notification);
        return Task.CompletedTask;
    }
}
