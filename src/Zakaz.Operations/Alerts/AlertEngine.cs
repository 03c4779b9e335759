using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zakaz.Notifications;

namespace Zakaz.Operations.Alerts;

/// <summary>
/// Evaluates the <see cref="AlertRules"/> and tells people what changed, as Alertmanager does: one message when an alert
/// starts, a reminder every <see cref="AlertOptions.RepeatHours"/> while it lasts, one "resolved" when it clears, the
/// notices of one evaluation grouped into one message per channel. What was said is read back from
/// <see cref="AlertHistory"/> each time, so a restart repeats nothing; a channel that fails is tried again at the later
/// evaluations with a growing pause, and never holds up the other channel or the syncs (it runs as its own job).
/// </summary>
public sealed class AlertEngine(
    AlertRules rules, AlertHistory history, IReadOnlyList<INotificationChannel> channels, AlertOptions options,
    Uri? dashboardUrl = null, TimeProvider? time = null, ILogger<AlertEngine>? log = null)
{
    public const string Job = "alerts.evaluate";

    /// <summary>A resolved notice that cannot be delivered for this long is dropped: nobody needs it any more.</summary>
    public static readonly TimeSpan ResolvedGivesUpAfter = TimeSpan.FromHours(24);

    private static readonly TimeSpan LongestRetryPause = TimeSpan.FromHours(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _log = log ?? NullLogger<AlertEngine>.Instance;

    /// <summary>The pause before delivery attempt <paramref name="failures"/> + 1 to a channel: 1, 2, 4… minutes, at most an hour.</summary>
    public static TimeSpan RetryPause(int failures) =>
        TimeSpan.FromMinutes(Math.Min(LongestRetryPause.TotalMinutes, Math.Pow(2, Math.Min(failures - 1, 10))));

    public async Task<AlertEvaluation> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var active = await rules.EvaluateAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var episodes = (await history.LatestEpisodesAsync(cancellationToken)).ToDictionary(e => e.Alert, StringComparer.Ordinal);
        var current = active.ToDictionary(a => a.Key, StringComparer.Ordinal);

        var changes = new List<AlertRecord>();
        foreach (var alert in active.Where(a => !episodes.TryGetValue(a.Key, out var episode) || !episode.Firing))
        {
            // A new episode must begin after the last one ended, whatever the rule says it started at.
            var since = episodes.TryGetValue(alert.Key, out var previous) && alert.Since <= previous.ResolvedAt ? now : alert.Since;
            changes.Add(new AlertRecord(now, alert.Key, alert.Rule, alert.Subject, since, AlertHistory.Firing, "", "", alert.Summary, ""));
        }
        foreach (var episode in episodes.Values.Where(e => e.Firing && !current.ContainsKey(e.Alert)))
        {
            changes.Add(new AlertRecord(now, episode.Alert, episode.Rule, episode.Subject, episode.Since, AlertHistory.Resolved, "", "", episode.Summary, ""));
        }
        if (changes.Count > 0)
        {
            await history.AddAsync(changes, cancellationToken);
            foreach (var change in changes)
            {
                _log.LogWarning("Alert {Alert} is {State}: {Summary}", change.Alert, change.Event, change.Summary);
            }
            episodes = (await history.LatestEpisodesAsync(cancellationToken)).ToDictionary(e => e.Alert, StringComparer.Ordinal);
        }

        var deliveries = new List<ChannelDelivery>();
        foreach (var channel in channels)
        {
            var notices = episodes.Values.OrderBy(e => e.Since).ThenBy(e => e.Alert, StringComparer.Ordinal)
                .Select(e => (Episode: e, Notice: Due(e, channel.Name, now)))
                .Where(n => n.Notice is not null)
                .Select(n => new AlertNotice(n.Episode, n.Notice!, current.GetValueOrDefault(n.Episode.Alert)))
                .ToList();
            if (notices.Count > 0)
            {
                deliveries.Add(await DeliverAsync(channel, notices, now, cancellationToken));
            }
        }
        return new AlertEvaluation(active, changes.Count(c => c.Event == AlertHistory.Firing), changes.Count(c => c.Event == AlertHistory.Resolved), deliveries);
    }

    /// <summary>What <paramref name="channel"/> still has to be told about <paramref name="episode"/> now, if anything.</summary>
    private string? Due(AlertEpisode episode, string channel, DateTimeOffset now)
    {
        var deliveries = episode.Deliveries(channel).ToList();
        var told = deliveries.Where(d => d.Event == AlertHistory.Notified && d.Notice != AlertHistory.Resolved).Select(d => (DateTimeOffset?)d.At).Max();
        if (!episode.Firing && (told is null || deliveries.Any(d => d.Event == AlertHistory.Notified && d.Notice == AlertHistory.Resolved)
            || now - episode.ResolvedAt > ResolvedGivesUpAfter))
        {
            return null;
        }
        var lastSuccess = deliveries.Where(d => d.Event == AlertHistory.Notified).Select(d => (DateTimeOffset?)d.At).Max() ?? DateTimeOffset.MinValue;
        var failures = deliveries.Where(d => d.Event == AlertHistory.Failed && d.At > lastSuccess).ToList();
        if (failures.Count > 0 && now < failures[^1].At + RetryPause(failures.Count))
        {
            return null;
        }
        return !episode.Firing ? AlertHistory.Resolved
            : told is null ? AlertHistory.Firing
            : now - told >= TimeSpan.FromHours(options.RepeatHours) ? AlertHistory.Reminder
            : null;
    }

    private async Task<ChannelDelivery> DeliverAsync(INotificationChannel channel, IReadOnlyList<AlertNotice> notices, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await channel.SendAsync(AlertMessage.Compose(notices, now, dashboardUrl), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
            _log.LogWarning("Alerts could not be sent by {Channel}: {Error}", channel.Name, e.Message);
        }
        var at = _time.GetUtcNow();
        await history.AddAsync(notices.Select(n => new AlertRecord(at, n.Episode.Alert, n.Episode.Rule, n.Episode.Subject, n.Episode.Since,
            error is null ? AlertHistory.Notified : AlertHistory.Failed, n.Notice, channel.Name, n.Current?.Summary ?? n.Episode.Summary, error ?? "")),
            CancellationToken.None);
        return new ChannelDelivery(channel.Name, notices.Count, error);
    }
}

/// <summary>One thing a channel is told about an episode: that it fires, still fires, or is resolved.</summary>
public sealed record AlertNotice(AlertEpisode Episode, string Notice, ActiveAlert? Current);

public sealed record ChannelDelivery(string Channel, int Notices, string? Error);

public sealed record AlertEvaluation(IReadOnlyList<ActiveAlert> Active, int Started, int Resolved, IReadOnlyList<ChannelDelivery> Deliveries);
