using Zakaz.Storage;

namespace Zakaz.Pipeline.Sync;

/// <summary>A stream of a source, as the pipeline keys what it keeps for it (dlt and Airbyte call it so).</summary>
public readonly record struct StreamKey(string Source, string Stream);

/// <summary>
/// The state the pipeline owns for its streams between runs (a cursor, a journal), one value per
/// <see cref="StreamKey"/> in zakaz.meta_watermarks, read with FINAL. A cursor moves only after the rows it
/// covers are committed, so a killed run resumes from the last committed position.
/// </summary>
internal sealed class StreamState(IClickHouseStore store, TimeProvider? time = null)
{
    private static readonly RowSchema<Mark> Schema = new RowSchema<Mark>()
        .Column("source", "LowCardinality(String)", r => r.Key.Source)
        .Column("stream", "LowCardinality(String)", r => r.Key.Stream)
        .Column("value", "String", r => r.Value)
        .Column("updated_at", "DateTime('UTC')", r => r.UpdatedAt)
        .Column("_ver", "UInt64", r => r.Version);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<string?> ReadAsync(StreamKey key, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(
            "SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = {source:String} AND stream = {stream:String}",
            new QueryParameters().Add("source", key.Source).Add("stream", key.Stream), cancellationToken: cancellationToken);
        return result.Rows.Count == 0 ? null : result.Get<string>(0, 0);
    }

    public Task WriteAsync(StreamKey key, string value, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return store.InsertAsync("zakaz.meta_watermarks", Schema, [new Mark(key, value, now, (ulong)now.ToUnixTimeMilliseconds())], cancellationToken: cancellationToken);
    }

    private sealed record Mark(StreamKey Key, string Value, DateTimeOffset UpdatedAt, ulong Version);
}
