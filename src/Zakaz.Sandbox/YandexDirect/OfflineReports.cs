namespace Zakaz.Sandbox.YandexDirect;

internal enum OfflineOutcome
{
    /// <summary>201: queued for building.</summary>
    Queued,

    /// <summary>202: still being built.</summary>
    Building,

    /// <summary>200: the report is ready.</summary>
    Ready,

    /// <summary>400 error 9000: too many offline reports in building.</summary>
    QueueFull,

    /// <summary>400: a report of this name exists with other parameters.</summary>
    OtherParameters,
}

/// <summary>
/// Direct's offline reports by name (spec §2): a new name is queued, the same name and parameters polls it (after a
/// number of polls it is ready), the same name with other parameters is an error. A finished report keeps the figures
/// it was built with, so a name reused later returns old figures and hides restatements, as Direct's 5-hour store does.
/// Direct finishes a queued report whether or not anyone polls it; here one is done at the latest
/// <see cref="BuildTime"/> after it was queued, so reports a crashed run left behind don't fill the queue for good.
/// </summary>
internal sealed class OfflineReports(int maxQueued, int polls, TimeProvider clock)
{
    public static readonly TimeSpan BuildTime = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _reports = new(StringComparer.Ordinal);

    /// <summary>What a request for report <paramref name="name"/> gets; <paramref name="build"/> takes the figures when it becomes ready.</summary>
    public (OfflineOutcome Outcome, int Poll, int InQueue, List<ReportFact>? Facts) Request(string name, JsonElement parameters, Func<List<ReportFact>> build) =>
        _gate.Locked(() =>
        {
            if (!_reports.TryGetValue(name, out Entry? entry))
            {
                if (Building() >= maxQueued)
                {
                    return (OfflineOutcome.QueueFull, 0, Building(), null);
                }
                _reports[name] = new Entry(parameters.Clone(), clock.GetUtcNow());
                return (OfflineOutcome.Queued, 0, Building(), (List<ReportFact>?)null);
            }
            if (!JsonElement.DeepEquals(entry.Parameters, parameters))
            {
                return (OfflineOutcome.OtherParameters, 0, Building(), null);
            }
            if (entry.Facts is null && (++entry.Polls > polls || Built(entry)))
            {
                entry.Facts = build();
            }
            return entry.Facts is null
                ? (OfflineOutcome.Building, entry.Polls, Building(), null)
                : (OfflineOutcome.Ready, entry.Polls, Building(), entry.Facts);
        });

    private int Building() => _reports.Values.Count(r => r.Facts is null && !Built(r));

    private bool Built(Entry entry) => clock.GetUtcNow() - entry.QueuedAt >= BuildTime;

    private sealed class Entry(JsonElement parameters, DateTimeOffset queuedAt)
    {
        public JsonElement Parameters { get; } = parameters;

        public DateTimeOffset QueuedAt { get; } = queuedAt;

        public int Polls { get; set; }

        public List<ReportFact>? Facts { get; set; }
    }
}
