using Zakaz.Storage;

namespace Zakaz.Web.Health;

/// <summary>One source's freshness as bi.v_ops_freshness sees it (status green, amber or red).</summary>
public sealed record SourceFreshness(string Source, DateTimeOffset? LastLoadedAt, DateTimeOffset? LastDataTs, long? LagMinutes, string Status);

/// <summary>Freshness per source and the worst light of the enabled ones: every page's header, /api/freshness and /readyz.</summary>
public sealed record FreshnessAnswer(IReadOnlyList<SourceFreshness> Sources, string Status);

internal sealed class Freshness(IClickHouseStore reader, IReadOnlyCollection<string>? enabled)
{
    private static readonly string[] Lights = ["green", "amber", "red"];

    public async Task<FreshnessAnswer> ReadAsync(CancellationToken cancellationToken)
    {
        var rows = await reader.QueryAsync(
            "SELECT source, last_loaded_at, last_data_ts, lag_minutes, status FROM bi.v_ops_freshness ORDER BY source",
            cancellationToken: cancellationToken);
        var sources = Enumerable.Range(0, rows.Rows.Count).Select(i => new SourceFreshness(
            rows.Get<string>(i, "source"), rows.Get<DateTimeOffset?>(i, "last_loaded_at")?.ToUniversalTime(),
            rows.Get<DateTimeOffset?>(i, "last_data_ts")?.ToUniversalTime(), rows.Get<long?>(i, "lag_minutes"), rows.Get<string>(i, "status"))).ToArray();
        var watched = sources.Where(IsEnabled).ToArray();
        var worst = watched.Length == 0 ? "green" : Lights[watched.Max(s => Math.Max(0, Array.IndexOf(Lights, s.Status)))];
        return new FreshnessAnswer(sources, worst);
    }

    public bool IsEnabled(SourceFreshness source) => enabled is null || enabled.Contains(source.Source);
}
