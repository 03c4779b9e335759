using Zakaz.Storage;

namespace Zakaz.Operations.Alerts;

/// <summary>What the alerts said and did, kept in zakaz.meta_alerts: each episode's state changes and deliveries.</summary>
public sealed class AlertHistory(IClickHouseStore store)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
    public const string Notified = "notified";
    public const string Failed = "failed";
    public const string Reminder = "reminder";

    /// <summary>Resolved alerts are listed this long after they resolve; firing ones until they do.</summary>
    public const int RecentDays = 7;

    private static readonly RowSchema<AlertRecord> Schema = new RowSchema<AlertRecord>()
        .Column("at", "DateTime64(3, 'UTC')", r => r.At)
        .Column("alert", "String", r => r.Alert)
        .Column("rule", "LowCardinality(String)", r => r.Rule)
        .Column("subject", "String", r => r.Subject)
        .Column("since", "DateTime64(3, 'UTC')", r => r.Since)
        .Column("event", "LowCardinality(String)", r => r.Event)
        .Column("notice", "LowCardinality(String)", r => r.Notice)
        .Column("channel", "LowCardinality(String)", r => r.Channel)
        .Column("summary", "String", r => r.Summary)
        .Column("error", "String", r => r.Error);

    public Task AddAsync(IEnumerable<AlertRecord> records, CancellationToken cancellationToken = default) =>
        store.InsertAsync("zakaz.meta_alerts", Schema, records, cancellationToken: cancellationToken);

    /// <summary>The latest episode of every alert ever raised, with everything recorded about it.</summary>
    public async Task<IReadOnlyList<AlertEpisode>> LatestEpisodesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync($"""
            SELECT alert, toString(rule) AS rule, subject, since, toString(event) AS event, toString(notice) AS notice,
                   toString(channel) AS channel, summary, at
            FROM zakaz.meta_alerts
            WHERE (alert, since) IN
            (
                SELECT alert, argMax(since, at) FROM zakaz.meta_alerts WHERE event IN ('{Firing}', '{Resolved}') GROUP BY alert
            )
            ORDER BY alert, at
            """, cancellationToken: cancellationToken);
        return [.. Enumerable.Range(0, rows.Rows.Count).GroupBy(i => rows.Get<string>(i, "alert")).Select(episode =>
        {
            var records = episode.Select(i => new AlertRecord(rows.Get<DateTimeOffset>(i, "at"), episode.Key, rows.Get<string>(i, "rule"),
                rows.Get<string>(i, "subject"), rows.Get<DateTimeOffset>(i, "since"), rows.Get<string>(i, "event"), rows.Get<string>(i, "notice"),
                rows.Get<string>(i, "channel"), rows.Get<string>(i, "summary"), "")).ToList();
            return new AlertEpisode(records);
        })];
    }

    /// <summary>The firing alerts, then those resolved in the last <see cref="RecentDays"/> days, newest first, from bi.v_ops_alerts.</summary>
    public async Task<IReadOnlyList<AlertEpisodeSummary>> RecentAsync(CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync($"""
            SELECT alert, status, started_at, resolved_at, summary, notifications, failed_deliveries, last_error
            FROM bi.v_ops_alerts
            WHERE status = '{Firing}' OR resolved_at >= now() - INTERVAL {RecentDays} DAY
            ORDER BY status = '{Firing}' DESC, started_at DESC
            """, cancellationToken: cancellationToken);
        return [.. Enumerable.Range(0, rows.Rows.Count).Select(i => new AlertEpisodeSummary(rows.Get<string>(i, "alert"), rows.Get<string>(i, "status"),
            rows.Get<DateTimeOffset>(i, "started_at"), rows.Get<DateTimeOffset?>(i, "resolved_at"), rows.Get<string>(i, "summary"),
            rows.Get<ulong>(i, "notifications"), rows.Get<ulong>(i, "failed_deliveries"), rows.Get<string>(i, "last_error")))];
    }
}

/// <summary>One episode as bi.v_ops_alerts shows it.</summary>
public sealed record AlertEpisodeSummary(
    string Alert, string Status, DateTimeOffset StartedAt, DateTimeOffset? ResolvedAt, string Summary, ulong Notifications, ulong FailedDeliveries, string LastError);

/// <summary>One row of zakaz.meta_alerts: a state change (<see cref="Notice"/> and <see cref="Channel"/> empty) or a delivery.</summary>
public sealed record AlertRecord(
    DateTimeOffset At, string Alert, string Rule, string Subject, DateTimeOffset Since, string Event, string Notice, string Channel, string Summary, string Error);

/// <summary>One episode of an alert, from its firing row to its resolved row if it has one, with its deliveries.</summary>
public sealed class AlertEpisode(IReadOnlyList<AlertRecord> records)
{
    private readonly AlertRecord _first = records[0];

    public string Alert => _first.Alert;

    public string Rule => _first.Rule;

    public string Subject => _first.Subject;

    public DateTimeOffset Since => _first.Since;

    public DateTimeOffset? ResolvedAt => records.LastOrDefault(r => r.Event == AlertHistory.Resolved)?.At;

    public bool Firing => ResolvedAt is null;

    public string Summary => records.Last(r => r.Event == AlertHistory.Firing).Summary;

    public IEnumerable<AlertRecord> Deliveries(string channel) =>
        records.Where(r => r.Channel == channel && r.Event is AlertHistory.Notified or AlertHistory.Failed);
}
