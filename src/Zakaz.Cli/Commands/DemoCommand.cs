using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

/// <summary>
/// The README's first command. For now it prepares the embedded store and reports on it; the
/// connector and dashboard issues grow it into the full demo.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(CliContext context)
    {
        var output = context.Out;
        await output.WriteLineAsync($"Opening the embedded store at {Path.GetFullPath(context.Options.Storage.DataDirectory)} ...");
        await using var store = context.OpenEmbeddedStore();
        var report = await new MigrationRunner(store, MigrationSet.Embedded()).MigrateAsync(line => output.WriteLine("  " + line));
        var summary = await StoreSummary.ReadAsync(store);
        await output.WriteLineAsync($"Engine:     chDB {summary.EngineVersion} (embedded, no server)");
        await output.WriteLineAsync($"Migrations: {report.Migrations.Count} applied now, {MigrationSet.Embedded().Migrations.Count} in total");
        await output.WriteLineAsync($"Objects:    {summary.ObjectsLine}");
        await output.WriteLineAsync("Next:       ./zakaz query \"SELECT name, engine FROM system.tables WHERE database IN ('zakaz', 'bi')\"");
        return ZakazCli.Ok;
    }
}
