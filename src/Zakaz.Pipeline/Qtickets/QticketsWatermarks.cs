using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>Values the Qtickets sync keeps between runs in zakaz.meta_watermarks, read with FINAL.</summary>
internal sealed class QticketsWatermarks(IClickHouseStore store)
{
    /// <summary>The start of the last successful incremental sync, ISO 8601.</summary>
    public static readonly (string Source, string Stream) Orders = ("qtickets", "orders");

    /// <summary>
    /// Sale dates whose staging rows a run changed but whose facts it has not rebuilt yet, comma-separated
    /// yyyy-MM-dd; empty once the facts are rebuilt (see <see cref="QticketsSync"/>).
    /// </summary>
    public static readonly (string Source, string Stream) PendingFactDates = ("qtickets", "pending_fact_dates");

    /// <summary>The generated buyer-key secret, hex (see <see cref="QticketsOrderWriter"/>).</summary>
    public static readonly (string Source, string Stream) BuyerKeySecret = ("zakaz", "buyer_key_secret");

    private static readonly RowSchema<Mark> Schema = new RowSchema<Mark>()
        .Column("source", "LowCardinality(String)", r => r.Source)
        .Column("stream", "LowCardinality(String)", r => r.Stream)
        .Column("value", "String", r => r.Value)
        .Column("updated_at", "DateTime('UTC')", r => r.UpdatedAt)
        .Column("_ver", "UInt64", r => r.Version);

    public async Task<string?> ReadAsync((string Source, string Stream) key, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(
            "SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = {source:String} AND stream = {stream:String}",
            new QueryParameters().Add("source", key.Source).Add("stream", key.Stream), cancellationToken: cancellationToken);
        return result.Rows.Count == 0 ? null : result.Get<string>(0, 0);
    }

    public Task WriteAsync((string Source, string Stream) key, string value, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var mark = new Mark(key.Source, key.Stream, value, now, (ulong)now.ToUnixTimeMilliseconds());
        return store.InsertAsync("zakaz.meta_watermarks", Schema, [mark], cancellationToken: cancellationToken);
    }

    private sealed record Mark(string Source, string Stream, string Value, DateTimeOffset UpdatedAt, ulong Version);
}
