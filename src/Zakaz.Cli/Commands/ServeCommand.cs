using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Logging;
using Zakaz.Configuration;
using Zakaz.Operations.Backups;
using Zakaz.Pipeline.Sync;
using Zakaz.Storage;
using Zakaz.Storage.Http;
using Zakaz.Storage.Migrations;
using Zakaz.Web;
using Zakaz.Web.Auth;
using Zakaz.Web.Scheduling;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz serve</c>: the dashboard, its API and the scheduler in one process until Ctrl+C. With the
/// embedded store this process is the data directory's only writer, so the syncs run inside it.
/// </summary>
internal static class ServeCommand
{
    internal static readonly Option<long> Port = CliOptions.WholeNumber("--port", "P", "Port (default 5080)", 5080, 65535);
    internal static readonly Option<string> Host = new("--host") { Description = "Address to listen on (default 127.0.0.1)", HelpName = "HOST", DefaultValueFactory = _ => "127.0.0.1" };
    internal static readonly Option<bool> Open = CliOptions.Flag("--open", "No login (only on a loopback address)");
    internal static readonly Option<bool> Migrate = CliOptions.Flag("--migrate", "Apply pending migrations to a ClickHouse server (back it up first); without it serve refuses to start on them");

    public static async Task<int> RunAsync(CliContext context)
    {
        var options = context.Options;
        var dashboard = new DashboardOptions
        {
            Host = context.Get(Host),
            Port = (int)context.Get(Port),
            Open = context.Get(Open),
            PasswordHash = options.Dashboard.PasswordHash,
            ApiToken = options.Dashboard.ApiToken,
            SessionSecret = options.Dashboard.SessionKey,
            TrustedProxies = options.Dashboard.TrustedProxies,
            Qtickets = options.Qtickets,
        };

        // Before anything is opened: a dashboard that would be unprotected or guessable never starts.
        ZakazWebApp.CheckAccess(dashboard);
        using var claim = options.Storage.UsesServer ? null : ServeLock.Acquire(options.Storage.DataDirectory);
        var backupDirectory = StoreBackups.DefaultDirectory(options.Backup, options.Storage);
        await using var store = ClickHouseStores.Open(options.Storage, new WarningLogger(context), backupDirectory);
        if (KeepsSecrets(options))
        {
            // On a server store without ZAKAZ_SECRETS_KEY every VK Ads run and webhook would fail later: say what to set now.
            store.Secrets.ThrowIfUnavailable();
        }
        var migrations = new MigrationRunner(store, MigrationSet.Embedded());
        if (await SafeUpgrade.BeforeMigratingAsync(store, migrations, new StoreBackups(store, backupDirectory, context.Time), context.Get(Migrate)) is { } backedUp)
        {
            await context.Out.WriteLineAsync(backedUp);
        }
        var migrated = await migrations.MigrateAsync(new ProgressLines<MigrationProgress>(context.Error, "  "));
        await using var reader = options.Storage.UsesServer && options.Storage.ReaderUrl is { } readerUrl
            ? new HttpClickHouseStore(new StorageOptions { Url = readerUrl, Timeout = options.Storage.Timeout, Compression = options.Storage.Compression })
            : null;
        dashboard.Reader = reader;
        var storeLine = $"Store:     {store.Location} ({migrated.Migrations.Count} migration(s) applied now); pages read {(reader is null ? "through a readonly=1 connection" : "as the reader user")}";
        await ServeAsync(context, context.Configuration.Settings, store, dashboard, storeLine);
        return ZakazCli.Ok;
    }

    /// <summary>Whether the configured jobs keep secrets in the store's tables: VK Ads tokens, or a generated buyer-key secret.</summary>
    private static bool KeepsSecrets(ZakazOptions options) =>
        ServeJobs.VkAdsConfigured(options)
        || (ServeJobs.QticketsConfigured(options) || !string.IsNullOrEmpty(options.Qtickets.WebhookSecret)) && string.IsNullOrEmpty(options.Qtickets.BuyerKeySecret);

    /// <summary>
    /// Serves the dashboard on <paramref name="store"/> with the scheduled syncs of the sources <paramref name="settings"/>
    /// configure (and the <see cref="DashboardOptions.Jobs"/>) until Ctrl+C or SIGTERM; what <c>zakaz serve</c> and <c>zakaz demo</c> share.
    /// </summary>
    internal static async Task ServeAsync(CliContext context, IConfiguration settings, IClickHouseStore store, DashboardOptions dashboard, string storeLine)
    {
        var options = settings.Get<ZakazOptions>() ?? new ZakazOptions();
        await options.Freshness.WriteAsync(store, context.Time);
        dashboard.Services = services => services.AddServeJobs(settings, new ProgressLines<SyncProgress>(context.Error));
        dashboard.Logging = logging => CliLogging.AddConsole(logging, options);
        dashboard.AnswerCacheTtl = TimeSpan.FromSeconds(options.Dashboard.AnswerCacheSeconds);
        if (options.Dashboard.RoasAmberPercent > options.Dashboard.RoasGreenPercent)
        {
            throw new ConfigurationException([$"ZAKAZ_DASHBOARD_ROAS_AMBER_PERCENT ({options.Dashboard.RoasAmberPercent}) is above ZAKAZ_DASHBOARD_ROAS_GREEN_PERCENT ({options.Dashboard.RoasGreenPercent}): amber must start at or below green."]);
        }
        dashboard.RoasGreen = options.Dashboard.RoasGreenPercent / 100m;
        dashboard.RoasAmber = options.Dashboard.RoasAmberPercent / 100m;
        if (store.Kind == StoreKind.Embedded)
        {
            dashboard.StateDirectory = store.Location;
        }

        await using var app = await ZakazWebApp.StartAsync(store, dashboard);
        var output = context.Out;
        await output.WriteLineAsync($"Zakaz dashboard: {app.Url}");
        await output.WriteLineAsync(storeLine);
        await output.WriteLineAsync(dashboard.Open
            ? "Access:    OPEN, no login (allowed because it listens on a loopback address only)"
            : $"Access:    login {(string.IsNullOrEmpty(dashboard.PasswordHash) ? "off" : "with the configured password")}, API token {(string.IsNullOrEmpty(dashboard.ApiToken) ? "off" : "on")}; " +
              (options.Dashboard.SessionKey is { Length: > 0 } ? "sessions signed with ZAKAZ_DASHBOARD_SESSION_KEY"
                  : dashboard.StateDirectory is not null ? $"sessions signed with the keys in {Path.Combine(store.Location, LoginKeys.DirectoryName)}"
                  : "sessions end at restart (set ZAKAZ_DASHBOARD_SESSION_KEY to keep them)") +
              (dashboard.TrustedProxies.Count > 0 ? $"; forwarded client and scheme believed from {string.Join(", ", dashboard.TrustedProxies)}" : ""));
        var jobs = app.Scheduler.Jobs;
        await output.WriteLineAsync($"Scheduler: {(jobs.Count == 0 ? "no jobs" : string.Join(", ", jobs.Select(j => $"{j.Name} {j.Schedule?.ToString() ?? "after loads"}")))}");
        if (app.Sources?.Count < 3)
        {
            await output.WriteLineAsync("           (set QTICKETS_TOKEN to sync Qtickets, VK_ADS_CLIENT_ID and VK_ADS_CLIENT_SECRET to sync VK Ads, YANDEX_DIRECT_TOKEN to sync Yandex Direct)");
        }
        await output.WriteLineAsync(dashboard.AnswerCacheTtl > TimeSpan.Zero
            ? $"Answers:   kept up to {dashboard.AnswerCacheTtl.TotalSeconds:0} s, dropped by every scheduled run and stored webhook (ZAKAZ_DASHBOARD_CACHE_SECONDS)"
            : "Answers:   every request asks the store (ZAKAZ_DASHBOARD_CACHE_SECONDS=0)");
        await output.WriteLineAsync("Ctrl+C stops it.");

        await app.StoppingAsync();
        await output.WriteLineAsync("Stopping ...");
    }

    /// <summary><c>zakaz serve hash-password</c>: reads a password from stdin and prints its ZAKAZ_DASHBOARD_PASSWORD_HASH.</summary>
    public static async Task<int> HashPasswordAsync(CliContext context)
    {
        if (!Console.IsInputRedirected)
        {
            await context.Error.WriteAsync("Password (the input is shown; pipe it in to avoid that): ");
        }
        var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("Give the password on stdin, e.g. read -rs P && printf %s \"$P\" | zakaz serve hash-password.");
        }
        await context.Out.WriteLineAsync(PasswordHash.Create(password));
        return ZakazCli.Ok;
    }
}
