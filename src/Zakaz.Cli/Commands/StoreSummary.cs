using Zakaz.Storage;

namespace Zakaz.Cli.Commands;

/// <summary>What a store holds, in the words the demo and doctor print.</summary>
internal sealed record StoreSummary(string EngineVersion, IReadOnlyList<(string Database, ulong Tables, ulong Views)> Objects)
{
    public static async Task<StoreSummary> ReadAsync(IClickHouseStore store)
    {
        var version = (await store.QueryAsync("SELECT version()")).Scalar<string>();
        var result = await store.QueryAsync("""
            SELECT database, countIf(engine NOT LIKE '%View') AS tables, countIf(engine LIKE '%View') AS views
            FROM system.tables
            WHERE database IN ('zakaz', 'bi')
            GROUP BY database
            ORDER BY database DESC
            """);
        var objects = Enumerable.Range(0, result.Rows.Count)
            .Select(i => (result.Get<string>(i, "database"), result.Get<ulong>(i, "tables"), result.Get<ulong>(i, "views")))
            .ToArray();
        return new StoreSummary(version, objects);
    }

    public string ObjectsLine => Objects.Count == 0
        ? "no Zakaz databases yet"
        : string.Join("; ", Objects.Select(o => $"{o.Database}: {o.Tables} table(s), {o.Views} view(s)"));
}
