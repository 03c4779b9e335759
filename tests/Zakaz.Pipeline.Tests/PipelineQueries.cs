using Zakaz.Storage;

namespace Zakaz.Pipeline.Tests;

internal static class PipelineQueries
{
    /// <summary>A query's rows as the engine prints them (TSV), so expected values read like the table they describe.</summary>
    public static async Task<string> TextAsync(IClickHouseStore store, string sql, QueryParameters? parameters = null)
    {
        using var output = new MemoryStream();
        await store.QueryToStreamAsync(sql, "TSV", output, parameters);
        return Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n');
    }
}
