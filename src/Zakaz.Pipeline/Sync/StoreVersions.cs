using Zakaz.Storage;

namespace Zakaz.Pipeline.Sync;

public static class StoreVersions
{
    /// <summary>The Unix milliseconds of <paramref name="now"/>, or one above the newest version of <paramref name="table"/>, so a write always wins.</summary>
    public static async Task<ulong> NextAsync(IClickHouseStore store, string table, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await store.QueryAsync($"SELECT max(_ver) FROM {table}", cancellationToken: cancellationToken);
        return Math.Max((ulong)now.ToUnixTimeMilliseconds(), existing.Scalar<ulong>() + 1);
    }
}
