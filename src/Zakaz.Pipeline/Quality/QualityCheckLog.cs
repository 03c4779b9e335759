using Zakaz.Storage;

namespace Zakaz.Pipeline.Quality;

/// <summary>
/// Runs the data-quality checks and stores each verdict in zakaz.meta_quality_checks (one row per
/// check, the newest replacing the last), where the Data health page reads them through
/// bi.v_ops_quality: the checks are too slow and read too much for a page request.
/// </summary>
public sealed class QualityCheckLog(IClickHouseStore store, TimeProvider? time = null)
{
    public const string Job = "quality.checks";

    private static readonly RowSchema<(QualityCheckResult Result, DateTimeOffset At)> Schema = new RowSchema<(QualityCheckResult Result, DateTimeOffset At)>()
        .Column("check", "LowCardinality(String)", r => r.Result.Check)
        .Column("checked_at", "DateTime('UTC')", r => r.At)
        .Column("status", "LowCardinality(String)", r => r.Result.StatusWord)
        .Column("value", "Nullable(Decimal(38, 4))", r => r.Result.Value)
        .Column("unit", "LowCardinality(String)", r => r.Result.Unit)
        .Column("threshold", "String", r => r.Result.Threshold)
        .Column("detail", "String", r => r.Result.Detail)
        .Column("_ver", "UInt64", r => (ulong)r.At.ToUnixTimeMilliseconds());

    public async Task<IReadOnlyList<QualityCheckResult>> RunAsync(CancellationToken cancellationToken = default)
    {
        var results = await new DataQualityChecks(store).RunAsync(cancellationToken);
        var at = (time ?? TimeProvider.System).GetUtcNow();
        await store.InsertAsync("zakaz.meta_quality_checks", Schema, results.Select(r => (r, at)), cancellationToken: cancellationToken);
        return results;
    }
}
