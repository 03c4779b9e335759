using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Service;

namespace Zakaz.Cli.Commands;

/// <summary>Every command of the CLI in one place; the parser, the help and shell completion all read it.</summary>
internal static class CommandTree
{
    public static RootCommand Root { get; } = Build();

    private static RootCommand Build()
    {
        var root = new RootCommand("Zakaz: ticket sales and marketing ROI for promoters, on ClickHouse.");
        // The global options first, then help and version, as the help has always listed them.
        var builtIn = root.Options.ToList();
        root.Options.Clear();
        foreach (var global in ZakazCli.GlobalOptions)
        {
            global.Recursive = true;
            root.Options.Add(global);
        }
        foreach (var option in builtIn)
        {
            option.Description = option is VersionOption ? "Print the version" : "Show help for the command";
            option.Action = option is VersionOption ? new VersionText() : new HelpText();
            root.Options.Add(option);
        }
        root.Subcommands.Add(new Command("demo", "Load a generated promoter from the Qtickets and VK Ads sandboxes into the embedded store, show sales and ROI, then serve the dashboard on localhost (no server needed)")
        {
            DemoCommand.Orders, DemoCommand.Port, DemoCommand.NoServe,
        }.Runs(DemoCommand.RunAsync));
        root.Subcommands.Add(new Command("query", "Run one SQL statement and print its result")
        {
            QueryCommand.Sql, QueryCommand.Format,
        }.Runs(QueryCommand.RunAsync));
        root.Subcommands.Add(new Command("db", "Schema and store maintenance")
        {
            new Command("migrate", "Apply pending schema migrations") { DbCommands.DryRun, DbCommands.Cluster }.Runs(DbCommands.MigrateAsync),
            new Command("validate", "Check migration files against the schema rules, offline; one line per problem, exit 1 if any")
            {
                ValidateCommand.Dir,
            }.Runs(ValidateCommand.RunAsync),
            new Command("status", "List migrations: applied, pending or changed since applied").Runs(DbCommands.StatusAsync),
            new Command("smoke", "Data-quality checks over the current data; exit 1 when one fails") { SmokeCommand.AsJson }.Runs(SmokeCommand.RunAsync),
            new Command("users", "ClickHouse users for BI tools and services (server only)")
            {
                new Command("create", "Create a user, or set its password if it exists, with one of Zakaz's roles as its default")
                {
                    UsersCommand.Name, UsersCommand.Role, UsersCommand.PasswordEnv,
                }.Runs(UsersCommand.CreateAsync),
                new Command("list", "List users and their default roles").Runs(UsersCommand.ListAsync),
            },
        });
        root.Subcommands.Add(new Command("facts", "Daily sales facts and the ad mart, derived from staging")
        {
            new Command("rebuild", "Recompute whole days of the facts and the ad mart from staging")
            {
                FactsCommand.From, FactsCommand.To,
            }.Runs(FactsCommand.RebuildAsync),
        });
        root.Subcommands.Add(new Command("plan", "Sales plans, compared with the facts in bi.v_plan_vs_fact")
        {
            new Command("import", "Import a sales plan CSV (sales_date,event_id,city,plan_tickets,plan_revenue; Russian headers and numbers accepted): every row or none")
            {
                PlanCommand.CsvFile,
            }.Runs(PlanCommand.ImportAsync),
        });
        root.Subcommands.Add(new Command("report", "Tables for people, read from the bi views")
        {
            new Command("roi", "Marketing ROI: spend, revenue, orders, tickets, ROAS, ROMI, CPO (CPT, CPC) per day, city, campaign, event or ad platform (--by source), for every platform or one (--source), with a total row")
            {
                ReportCommand.From, ReportCommand.To, ReportCommand.By, ReportCommand.Source, ReportCommand.Format,
            }.Runs(ReportCommand.RoiAsync),
        });
        root.Subcommands.Add(new Command("digest", "The morning digest: yesterday's sales, ad spend, ROMI by city, events at risk, plan and data health, in Russian")
        {
            new Command("show", "Print the digest of a day (default: yesterday in Moscow)") { DigestCommand.Date }.Runs(DigestCommand.ShowAsync),
            new Command("send", "Send the digest of a day to every configured channel now; one line per channel, exit 1 when one failed or none is configured")
            {
                DigestCommand.Date,
            }.Runs(DigestCommand.SendAsync),
        });
        root.Subcommands.Add(new Command("sync", "Load data from the sources into staging and rebuild the facts it touched")
        {
            new Command("qtickets", "Sync Qtickets events, orders and inventory since the last successful run (minus the lookback)")
            {
                SyncCommand.Since, SyncCommand.SinceHours, SyncCommand.Reconcile, SyncCommand.Days, SyncCommand.All, SyncCommand.QticketsDryRun,
                SyncCommand.Fixtures, SyncCommand.Concurrency, SyncCommand.Streams,
            }.Runs(SyncCommand.QticketsAsync),
            new Command("sheets", "Read the plan tab and the fallback inventory tab of a Google Sheet (CSV export URLs, or the Sheets API with a service account); all rows or none")
                .Runs(SyncCommand.SheetsAsync),
            new Command("vk-ads", "Sync VK Ads campaigns, ad groups, banners and banner day statistics (yesterday in Moscow back over VK_ADS_LOOKBACK_DAYS), mapped to city and event")
            {
                SyncCommand.From, SyncCommand.To, SyncCommand.AdsDryRun,
            }.Runs(SyncCommand.VkAdsAsync),
            new Command("yandex-direct", "Sync Yandex Direct campaigns, ad groups, ads and ad day statistics (yesterday in Moscow back over YANDEX_DIRECT_LOOKBACK_DAYS), mapped to city and event")
            {
                SyncCommand.From, SyncCommand.To, SyncCommand.AdsDryRun,
            }.Runs(SyncCommand.YandexDirectAsync),
        });
        root.Subcommands.Add(new Command("mappings", "Rules that give ad spend its city and event (zakaz.map_campaigns), as a CSV for spreadsheets")
        {
            new Command("import", "Replace the rules with a CSV (match_kind,pattern,city,event_id,priority,active,note,source; source empty or missing = every platform): every line or none; then re-apply them to the stored statistics")
            {
                MappingsCommand.CsvFile,
            }.Runs(MappingsCommand.ImportAsync),
            new Command("export", "Print the active rules as CSV") { MappingsCommand.Out }.Runs(MappingsCommand.ExportAsync),
            new Command("apply", "Re-apply the rules and conventions to the stored ad statistics (no download) and rebuild the ad mart for the dates that changed")
            {
                MappingsCommand.From, MappingsCommand.To,
            }.Runs(MappingsCommand.ApplyAsync),
        });
        root.Subcommands.Add(new Command("serve", "Serve the dashboard and its JSON API, and run the scheduled syncs, until Ctrl+C")
        {
            ServeCommand.Port, ServeCommand.Host, ServeCommand.Open, ServeCommand.Migrate,
            new Command("hash-password", "Read a password from stdin and print its hash for ZAKAZ_DASHBOARD_PASSWORD_HASH").Runs(ServeCommand.HashPasswordAsync),
        }.Runs(ServeCommand.RunAsync));
        root.Subcommands.Add(new Command("service", "Run zakaz serve as a systemd service (as root)")
        {
            new Command("install", $"Create the user and the data directory (--data, default {ServiceFiles.DefaultDataDirectory}, owner-only), an env-file template (--env-file, default {ServiceFiles.DefaultEnvFile}, mode 0600, never overwritten) and a hardened {ServiceFiles.UnitPath} for zakaz serve; print the systemctl commands")
            {
                ServiceCommand.User, ServiceCommand.Root, ServiceCommand.DryRun,
            }.Runs(ServiceCommand.InstallAsync, readsEnvFile: false),
            new Command("uninstall", $"Remove {ServiceFiles.UnitPath} (never the data or the env file); print the systemctl commands")
            {
                ServiceCommand.Root, ServiceCommand.DryRun,
            }.Runs(ServiceCommand.UninstallAsync, readsEnvFile: false),
        });
        root.Subcommands.Add(new Command("alerts", "Alerts by Telegram and e-mail (ZAKAZ_ALERTS_*)")
        {
            new Command("test", "Send a test message to every configured channel and say per channel whether it went through; exit 1 if one failed or none is configured")
                .Runs(AlertsCommand.TestAsync),
            new Command("list", "Show the firing alerts and those resolved in the last 7 days, with what was delivered").Runs(AlertsCommand.ListAsync),
        });
        root.Subcommands.Add(new Command("backup", "Backups of the zakaz database (an archive, its manifest and a copy of secrets.key), restored into new data directories")
        {
            new Command("create", "Back the store up now (through zakaz serve when it holds the data directory); then delete backups older than ZAKAZ_BACKUP_KEEP_DAYS")
            {
                BackupCommand.To,
            }.Runs(BackupCommand.CreateAsync),
            new Command("list", "List the backups: when (Moscow time), size, tables, rows, verified").Runs(BackupCommand.ListAsync),
            new Command("restore", "Restore a backup into a new, empty data directory: the backup's migrations, its data, then the newer migrations")
            {
                BackupCommand.File, BackupCommand.Data,
            }.Runs(BackupCommand.RestoreAsync),
            new Command("verify", "Check a backup's SHA-256, restore it into a throw-away store and compare every table's rows with its manifest (default: the latest)")
            {
                BackupCommand.OptionalFile,
            }.Runs(BackupCommand.VerifyAsync),
        });
        root.Subcommands.Add(new Command("doctor", "Check the chDB library, the store, the server and the configuration, and say what to fix").Runs(DoctorCommand.RunAsync));
        root.Subcommands.Add(new Command("bench", "Benchmarks (they print figures; they are not tests)")
        {
            new Command("insert", "Typed-row insert speed into chDB and a ClickHouse server, against the engines' own speed")
            {
                BenchCommand.Rows, BenchCommand.RssRows, BenchCommand.MemoryOnly,
            }.Runs(BenchCommand.InsertAsync),
            new Command("dashboard", "p50 and p95 of every dashboard page's API calls over HTTP on a generated year (~1M orders, 200 events) in a fresh embedded store")
            {
                BenchCommand.DashboardOrders, BenchCommand.Requests,
            }.Runs(BenchCommand.DashboardAsync),
            new Command("backup", "Backup, restore and verify seconds (RTO) and the archive size of the bench dashboard store, beside its own size, a plain tar of it and a count() of every table")
            {
                BenchCommand.DashboardOrders,
            }.Runs(BenchCommand.BackupAsync),
            new Command("qtickets", "Full Qtickets backfill from the in-process sandbox at concurrency 4 and 8 against the latency floor, then a 30-minute incremental run")
            {
                BenchCommand.QticketsOrders, BenchCommand.LatencyMs, BenchCommand.Concurrency, BenchCommand.AddOrdersUrl,
            }.Runs(BenchCommand.QticketsAsync),
        });
        root.Subcommands.Add(new Command("sandbox", "Local stand-ins for the outside APIs, for tests and demos (run until Ctrl+C)")
        {
            new Command("qtickets", "Serve the Qtickets REST v1 API for a generated promoter on 127.0.0.1; prints the base URL and token")
            {
                SandboxCommand.Port, SandboxCommand.Seed, SandboxCommand.QticketsOrders, SandboxCommand.Token, SandboxCommand.LatencyMs,
            }.Runs(SandboxCommand.QticketsAsync),
            new Command("vk-ads", "Serve the VK Ads API v2 for the same generated promoter on 127.0.0.1; prints VK_ADS_BASE_URL, the client id and secret")
            {
                SandboxCommand.Port, SandboxCommand.VkAdsSeed, SandboxCommand.VkAdsOrders, SandboxCommand.Anchor, SandboxCommand.ClientSecret, SandboxCommand.TokenLifetime,
            }.Runs(SandboxCommand.VkAdsAsync),
            new Command("yandex-direct", "Serve the Yandex Direct API v5 (campaigns, ad groups, ads, reports) for the same generated promoter on 127.0.0.1; prints YANDEX_DIRECT_BASE_URL and the token")
            {
                SandboxCommand.Port, SandboxCommand.VkAdsSeed, SandboxCommand.VkAdsOrders, SandboxCommand.Anchor, SandboxCommand.Token, SandboxCommand.AgencyLogin,
            }.Runs(SandboxCommand.YandexDirectAsync),
            new Command("telegram", "Serve the Telegram Bot API (sendMessage, getMe) on 127.0.0.1; prints the ZAKAZ_ALERTS_TELEGRAM_* settings, then each message it gets")
            {
                SandboxCommand.Port, SandboxCommand.BotToken,
            }.Runs(SandboxCommand.TelegramAsync),
            new Command("smtp", "Serve plain SMTP on 127.0.0.1 that keeps every message; prints the ZAKAZ_ALERTS_SMTP_* settings, then each message it gets")
            {
                SandboxCommand.Port, SandboxCommand.SmtpUser, SandboxCommand.SmtpPassword,
            }.Runs(SandboxCommand.SmtpAsync),
        });
        return root;
    }
}
