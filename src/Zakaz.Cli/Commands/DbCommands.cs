using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Sync;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

internal static class DbCommands
{
    internal static readonly Option<bool> DryRun = CliOptions.Flag("--dry-run", "Print the plan and its SQL, change nothing");
    internal static readonly Option<string?> Cluster = CliOptions.Text("--cluster", "NAME", "Emit ON CLUSTER NAME and Replicated engines (server deployments)");

    public static async Task<int> MigrateAsync(CliContext context)
    {
        var options = new MigrationOptions { DryRun = context.Get(DryRun), Cluster = context.Get(Cluster) };
        await using var store = context.OpenStore();
        var report = await new MigrationRunner(store, MigrationSet.Embedded(), options).MigrateAsync(new ProgressLines<MigrationProgress>(context.Out));
        if (report.DryRun)
        {
            foreach (var planned in report.Migrations)
            {
                await context.Out.WriteLineAsync($"-- {planned.Migration.FileName} ({planned.Statements.Count} statements)");
                foreach (var statement in planned.Statements)
                {
                    await context.Out.WriteLineAsync(statement.Text.TrimEnd() + ";");
                }
            }
            await context.Out.WriteLineAsync(report.Migrations.Count == 0
                ? $"Dry run: nothing to apply on {store.Location}."
                : $"Dry run: {report.Migrations.Count} migration(s) would be applied to {store.Location}; nothing was changed.");
        }
        else
        {
            await context.Out.WriteLineAsync(report.Migrations.Count == 0
                ? $"Nothing to apply: {store.Location} is up to date."
                : $"Applied {report.Migrations.Count} migration(s) to {store.Location}.");
        }
        return ZakazCli.Ok;
    }

    public static async Task<int> StatusAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var status = await new MigrationRunner(store, MigrationSet.Embedded()).GetStatusAsync();
        await context.Out.WriteLineAsync($"Store: {store.Location} ({(store.Kind == StoreKind.Embedded ? "embedded chDB" : "ClickHouse server")})");
        foreach (var state in status.Migrations)
        {
            var text = state.Applied switch
            {
                null => "pending",
                { } applied when state.ChecksumMatches == false => $"CHANGED since applied {applied.AppliedAt:yyyy-MM-dd HH:mm:ss} UTC",
                { } applied => $"applied {applied.AppliedAt:yyyy-MM-dd HH:mm:ss} UTC",
            };
            await context.Out.WriteLineAsync($"  {state.Migration.FileName,-40} {text}");
        }
        foreach (var unknown in status.UnknownApplied)
        {
            await context.Out.WriteLineAsync($"  {unknown.Version:0000}_{unknown.Name,-35} applied but not shipped with this version");
        }
        var pending = status.Pending.Count();
        await context.Out.WriteLineAsync(pending == 0 ? "Up to date." : $"{pending} pending: run 'zakaz db migrate'.");
        return ZakazCli.Ok;
    }
}
