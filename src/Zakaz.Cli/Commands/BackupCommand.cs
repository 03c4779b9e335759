using System.CommandLine;
using System.Globalization;
using Zakaz.Cli.CommandLine;
using Zakaz.Operations.Backups;
using Zakaz.Storage;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz backup</c>: backups of the zakaz database with their manifests, restored into new data directories.</summary>
internal static class BackupCommand
{
    internal static readonly Option<string?> To = CliOptions.Text("--to", "DIR", "Directory of the backup (default ZAKAZ_BACKUP_DIR, else backups/ in the data directory)");
    internal static readonly Option<string?> Data = CliOptions.Text("--data", "NEWDIR", "New, empty data directory to restore into (default: the data directory's name with -restored-<time>)");
    internal static readonly Argument<string> File = CliOptions.Argument("file", "FILE.tar");
    internal static readonly Argument<string?> OptionalFile = new("file") { HelpName = "FILE.tar", Arity = ArgumentArity.ZeroOrOne };

    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static async Task<int> CreateAsync(CliContext context)
    {
        var options = context.Options;
        var directory = StoreBackups.DefaultDirectory(options.Backup, options.Storage);
        var to = context.Get(To);
        if (!options.Storage.UsesServer && ServeLock.IsHeld(options.Storage.DataDirectory))
        {
            await context.Error.WriteLineAsync("zakaz serve holds the data directory: asking it for the backup ...");
            var answer = await BackupRequests.RequestAsync(options.Storage.DataDirectory, to, () => ServeLock.IsHeld(options.Storage.DataDirectory));
            await PrintAsync(context, answer.ArchivePath!, BackupManifest.Read(answer.ManifestPath!));
            return ZakazCli.Ok;
        }
        await using var store = ClickHouseStores.Open(options.Storage, new WarningLogger(context), directory);
        var backups = new StoreBackups(store, directory, context.Time);
        var made = await backups.CreateAndPruneAsync(options.Backup.KeepDays, to);
        await PrintAsync(context, made.ArchivePath, made.Manifest);
        return ZakazCli.Ok;
    }

    private static Task PrintAsync(CliContext context, string archivePath, BackupManifest manifest) =>
        context.Out.WriteLineAsync(manifest.ArchiveBytes is { } bytes
            ? $"Backed up {manifest.Tables.Count} tables, {manifest.TotalRows:N0} rows to {archivePath} ({Size(bytes)}, SHA-256 {manifest.Sha256})"
            : $"Backed up {manifest.Tables.Count} tables, {manifest.TotalRows:N0} rows on the server as {manifest.Archive}; manifest {Path.ChangeExtension(archivePath, null)}.json");

    public static async Task<int> ListAsync(CliContext context)
    {
        var directory = StoreBackups.DefaultDirectory(context.Options.Backup, context.Options.Storage);
        var backups = StoreBackups.List(directory);
        if (backups.Count == 0)
        {
            await context.Out.WriteLineAsync($"No backups in {directory}.");
            return ZakazCli.Ok;
        }
        await context.Out.WriteLineAsync($"{"Created (Moscow)",-19}  {"Size",9}  {"Tables",6}  {"Rows",13}  {"Verified",-16}  File");
        foreach (var (_, manifest) in backups)
        {
            var verified = manifest.VerifiedAt is { } at ? TimeZoneInfo.ConvertTime(at, Moscow).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture) : "no";
            await context.Out.WriteLineAsync(
                $"{TimeZoneInfo.ConvertTime(manifest.CreatedAt, Moscow).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture),-19}  " +
                $"{(manifest.ArchiveBytes is { } bytes ? Size(bytes) : "on server"),9}  {manifest.Tables.Count,6}  {manifest.TotalRows,13:N0}  {verified,-16}  {manifest.Archive}");
        }
        await context.Out.WriteLineAsync($"In {directory}.");
        return ZakazCli.Ok;
    }

    public static async Task<int> RestoreAsync(CliContext context)
    {
        var archive = context.Get(File);
        var target = context.Get(Data)
            ?? $"{Path.TrimEndingDirectorySeparator(Path.GetFullPath(context.Options.Storage.DataDirectory))}-restored-{context.Time.GetUtcNow():yyyyMMdd-HHmmss}";
        var restored = await BackupRestore.RestoreAsync(archive, target, context.Options.Storage.ChDbLibrary);
        await context.Out.WriteLineAsync(
            $"Restored {restored.Manifest.Archive} into {restored.DataDirectory}: {restored.Tables.Count} tables, {restored.Tables.Values.Sum():N0} rows" +
            (restored.MigrationsAfter > 0 ? $", then {restored.MigrationsAfter} newer migration(s)" : ", every table's rows as in the manifest") + ".");
        await context.Out.WriteLineAsync($"To use it: stop zakaz serve, set ZAKAZ_DATA_DIR={restored.DataDirectory} (or move it into place), start zakaz serve.");
        return ZakazCli.Ok;
    }

    public static async Task<int> VerifyAsync(CliContext context)
    {
        var archive = context.Get(OptionalFile);
        if (archive is null)
        {
            var directory = StoreBackups.DefaultDirectory(context.Options.Backup, context.Options.Storage);
            var latest = StoreBackups.List(directory).FirstOrDefault();
            archive = latest.Manifest is null
                ? throw new BackupException($"No backups in {directory}: run zakaz backup create, or name the file to verify.")
                : Path.Combine(directory, latest.Manifest.Archive);
        }
        var verified = await new BackupVerifier(ZakazCli.Self(), context.Time).VerifyAsync(archive);
        await context.Out.WriteLineAsync($"Verified {archive}: checksum matches; restored into a throw-away store, {verified.Tables.Count} tables with {verified.TotalRows:N0} rows as in the manifest.");
        return ZakazCli.Ok;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.00} GB"),
    };
}
