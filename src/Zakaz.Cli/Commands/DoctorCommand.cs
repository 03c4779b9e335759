using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Http;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

/// <summary>Checks everything Zakaz depends on and prints one line per check, with the fix when one fails.</summary>
internal static class DoctorCommand
{
    private enum Verdict { Ok, Warn, Fail }

    public static async Task<int> RunAsync(CliContext context)
    {
        var failures = 0;
        async Task Report(Verdict verdict, string check, string detail)
        {
            failures += verdict == Verdict.Fail ? 1 : 0;
            var tag = verdict switch { Verdict.Ok => "ok  ", Verdict.Warn => "warn", _ => "FAIL" };
            await context.Out.WriteLineAsync($"[{tag}] {check,-13} {detail}");
        }

        var storage = context.Options.Storage;
        await Report(Verdict.Ok, "config", $"{context.Configuration.Entries.Count(e => e.Layer != Configuration.ConfigurationLayer.Default)} setting(s) given; 'zakaz doctor --verbose' lists them");
        if (context.Verbose)
        {
            await context.Out.WriteAsync(context.Configuration.Describe());
        }
        foreach (var warning in context.Configuration.Warnings)
        {
            await Report(Verdict.Warn, "config", warning);
        }

        var library = ChDbLibrary.Locate(storage.ChDbLibrary);
        var libraryVerdict = File.Exists(library) ? Verdict.Ok : storage.UsesServer ? Verdict.Warn : Verdict.Fail;
        await Report(libraryVerdict, "chdb library", File.Exists(library)
            ? $"{library} ({new FileInfo(library).Length / (1024 * 1024)} MB, pinned {ChDbLibrary.PinnedVersion})"
            : ChDbLibrary.MissingMessage(library));

        if (storage.UsesServer)
        {
            await CheckStoreAsync("server", () => new HttpClickHouseStore(storage), Report);
        }
        else if (!Directory.Exists(storage.DataDirectory) && !File.Exists(storage.DataDirectory))
        {
            await Report(Verdict.Warn, "store", $"{Path.GetFullPath(storage.DataDirectory)} does not exist yet: 'zakaz db migrate' (or 'zakaz demo') creates it");
        }
        else if (libraryVerdict == Verdict.Ok)
        {
            await CheckStoreAsync("store", context.OpenEmbeddedStore, Report);
        }

        if (!string.IsNullOrWhiteSpace(context.Options.YandexDirect.Token))
        {
            await CheckYandexDirectAsync(context, Report);
        }

        await context.Out.WriteLineAsync(failures == 0 ? "All checks passed." : $"{failures} check(s) failed; fix them as described above.");
        return failures == 0 ? ZakazCli.Ok : ZakazCli.Failure;
    }

    /// <summary>One cheap call with the token (a page of one campaign), so a wrong token, login or missing API access shows before a sync.</summary>
    private static async Task CheckYandexDirectAsync(CliContext context, Func<Verdict, string, string, Task> report)
    {
        var options = YandexDirectClientOptions.FromConfiguration(context.Options.YandexDirect);
        try
        {
            using var client = YandexDirectSource.Create(options, context.Loggers, context.Time);
            await client.CheckAccessAsync();
            await report(Verdict.Ok, "yandex direct", $"the token reads {(options.ClientLogin is { Length: > 0 } login ? $"the advertiser {login}" : "its own account")} at {options.BaseUrl}" +
                (client.Units is { } units ? $"; points {units} (spent/available/daily limit)" : ""));
        }
        catch (YandexDirectException e)
        {
            await report(Verdict.Fail, "yandex direct", e.Message.ReplaceLineEndings(" "));
        }
    }

    private static async Task CheckStoreAsync(string check, Func<IClickHouseStore> open, Func<Verdict, string, string, Task> report)
    {
        try
        {
            await using var store = open();
            var summary = await StoreSummary.ReadAsync(store);
            await report(Verdict.Ok, check, $"{store.Location}: ClickHouse {summary.EngineVersion}; {summary.ObjectsLine}");
            var status = await new MigrationRunner(store, MigrationSet.Embedded()).GetStatusAsync();
            var changed = status.Migrations.Where(m => m.ChecksumMatches == false).Select(m => m.Migration.FileName).ToArray();
            var pending = status.Pending.Count();
            await report(
                changed.Length > 0 ? Verdict.Fail : pending > 0 ? Verdict.Warn : Verdict.Ok,
                "schema",
                changed.Length > 0 ? $"applied migrations changed since: {string.Join(", ", changed)}; restore them and add a new migration instead"
                : pending > 0 ? $"{pending} migration(s) pending: run 'zakaz db migrate'"
                : $"{status.Migrations.Count} migration(s) applied");
        }
        catch (Exception e) when (e is StoreUnavailableException or ClickHouseException or TimeoutException or IOException or ArgumentException or MigrationException)
        {
            await report(Verdict.Fail, check, e.Message.ReplaceLineEndings(" "));
        }
    }
}
