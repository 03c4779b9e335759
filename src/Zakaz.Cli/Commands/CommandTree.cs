using Zakaz.Cli.CommandLine;

namespace Zakaz.Cli.Commands;

/// <summary>Every command of the CLI in one place, so the help and the parser agree.</summary>
internal static class CommandTree
{
    public static Command Build() => new("zakaz", "Zakaz: ticket sales and marketing ROI for promoters, on ClickHouse.")
    {
        Subcommands =
        [
            new Command("demo", "Load a generated promoter from the Qtickets and VK Ads sandboxes into the embedded store, show sales and ROI, then serve the dashboard on localhost (no server needed)")
            {
                Options =
                [
                    new("orders", "N", "Orders the sandbox generates (default 20,000)"),
                    new("port", "P", "Dashboard port on 127.0.0.1 (default 5080)"),
                    new("no-serve", null, "Stop after the load and the summary"),
                ],
                Handler = DemoCommand.RunAsync,
            },
            new Command("query", "Run one SQL statement and print its result")
            {
                Arguments = ["\"SQL\""],
                Options = [new("format", "FORMAT", "TSV, CSV, JSONEachRow, PrettyCompact or any ClickHouse output format (default: PrettyCompact on a terminal, TSV otherwise)")],
                Handler = QueryCommand.RunAsync,
            },
            new Command("db", "Schema and store maintenance")
            {
                Subcommands =
                [
                    new Command("migrate", "Apply pending schema migrations")
                    {
                        Options =
                        [
                            new("dry-run", null, "Print the plan and its SQL, change nothing"),
                            new("cluster", "NAME", "Emit ON CLUSTER NAME and Replicated engines (server deployments)"),
                        ],
                        Handler = DbCommands.MigrateAsync,
                    },
                    new Command("validate", "Check migration files against the schema rules, offline; one line per problem, exit 1 if any")
                    {
                        Options = [new("dir", "DIR", "Validate the *.sql files of DIR instead of the shipped migrations")],
                        Handler = ValidateCommand.RunAsync,
                    },
                    new Command("status", "List migrations: applied, pending or changed since applied")
                    {
                        Handler = DbCommands.StatusAsync,
                    },
                    new Command("smoke", "Data-quality checks over the current data; exit 1 when one fails")
                    {
                        Options = [new("json", null, "Print the checks as a JSON array")],
                        Handler = SmokeCommand.RunAsync,
                    },
                    new Command("users", "ClickHouse users for BI tools and services (server only)")
                    {
                        Subcommands =
                        [
                            new Command("create", "Create a user, or set its password if it exists, with one of Zakaz's roles as its default")
                            {
                                Arguments = ["NAME"],
                                Options =
                                [
                                    new("role", "ROLE", "reader (SELECT on bi), writer (the pipeline) or backup"),
                                    new("password-env", "VAR", $"Environment variable holding the password (default {UsersCommand.DefaultPasswordVariable}); unset: a generated one is printed once"),
                                ],
                                Handler = UsersCommand.CreateAsync,
                            },
                            new Command("list", "List users and their default roles")
                            {
                                Handler = UsersCommand.ListAsync,
                            },
                        ],
                    },
                ],
            },
            new Command("facts", "Daily sales facts and the ad mart, derived from staging")
            {
                Subcommands =
                [
                    new Command("rebuild", "Recompute whole days of the facts and the ad mart from staging")
                    {
                        Options =
                        [
                            new("from", "DATE", "First business date, yyyy-MM-dd (with --to; default: every date in staging)"),
                            new("to", "DATE", "Last business date, yyyy-MM-dd"),
                        ],
                        Handler = FactsCommand.RebuildAsync,
                    },
                ],
            },
            new Command("plan", "Sales plans, compared with the facts in bi.v_plan_vs_fact")
            {
                Subcommands =
                [
                    new Command("import", "Import a sales plan CSV (sales_date,event_id,city,plan_tickets,plan_revenue; Russian headers and numbers accepted): every row or none")
                    {
                        Arguments = ["FILE.csv"],
                        Handler = PlanCommand.ImportAsync,
                    },
                ],
            },
            new Command("report", "Tables for people, read from the bi views")
            {
                Subcommands =
                [
                    new Command("roi", "Marketing ROI: spend, revenue, orders, tickets, ROAS, ROMI, CPO (CPT, CPC) per day, city, campaign or event, with a total row")
                    {
                        Options =
                        [
                            new("from", "DATE", "First date, yyyy-MM-dd (default: the first with data)"),
                            new("to", "DATE", "Last date, yyyy-MM-dd (default: the last with data)"),
                            new("by", "GRAIN", "day, city (default), campaign (UTM source and campaign) or event"),
                            new("format", "FORMAT", "PrettyCompact (Russian number notation; default on a terminal), TSV (default otherwise), CSV or JSONEachRow, the last three with column names"),
                        ],
                        Handler = ReportCommand.RoiAsync,
                    },
                ],
            },
            new Command("sync", "Load data from the sources into staging and rebuild the facts it touched")
            {
                Subcommands =
                [
                    new Command("qtickets", "Sync Qtickets events, orders and inventory since the last successful run (minus the lookback)")
                    {
                        Options =
                        [
                            new("since", "DATE", "Read orders changed since this Moscow date, yyyy-MM-dd, instead of the watermark's window"),
                            new("since-hours", "N", "Read orders changed in the last N hours"),
                            new("reconcile", null, "Re-read every order of the events with a show in the future or ended within QTICKETS_RECONCILE_DAYS, ignoring the watermark"),
                            new("days", "N", "With --reconcile: re-read the orders changed in the last N days instead"),
                            new("all", null, "With --reconcile: re-read every order of every event (what the weekly reconcile does)"),
                            new("dry-run", null, "Fetch and transform, print what would be written, write nothing"),
                            new("fixtures", "DIR", "Read recorded API responses from DIR instead of the API"),
                            new("concurrency", "N", "Qtickets requests in flight at once (default 4)"),
                            new("streams", "LIST", "orders, inventory or orders,inventory (default): what to read besides events and shows"),
                        ],
                        Handler = SyncCommand.QticketsAsync,
                    },
                    new Command("sheets", "Read the plan tab and the fallback inventory tab of a Google Sheet (CSV export URLs, or the Sheets API with a service account); all rows or none")
                    {
                        Handler = SyncCommand.SheetsAsync,
                    },
                    new Command("vk-ads", "Sync VK Ads campaigns, ad groups, banners and banner day statistics (yesterday in Moscow back over VK_ADS_LOOKBACK_DAYS), mapped to city and event")
                    {
                        Options =
                        [
                            new("from", "DATE", "First statistics day, yyyy-MM-dd (default: yesterday minus the lookback, or the day after the last synced one)"),
                            new("to", "DATE", "Last statistics day, yyyy-MM-dd (default: yesterday in Moscow); at most 366 days in all"),
                            new("dry-run", null, "Fetch and map, print what would be written, write nothing"),
                        ],
                        Handler = SyncCommand.VkAdsAsync,
                    },
                ],
            },
            new Command("mappings", "Rules that give ad spend its city and event (zakaz.map_campaigns), as a CSV for spreadsheets")
            {
                Subcommands =
                [
                    new Command("import", "Replace the rules with a CSV (match_kind,pattern,city,event_id,priority,active,note): every line or none; then re-apply them to the stored statistics")
                    {
                        Arguments = ["FILE.csv"],
                        Handler = MappingsCommand.ImportAsync,
                    },
                    new Command("export", "Print the active rules as CSV")
                    {
                        Options = [new("out", "FILE", "Write the CSV to FILE instead of stdout")],
                        Handler = MappingsCommand.ExportAsync,
                    },
                    new Command("apply", "Re-apply the rules and conventions to the stored ad statistics (no download) and rebuild the ad mart for the dates that changed")
                    {
                        Options =
                        [
                            new("from", "DATE", "First statistics day, yyyy-MM-dd (default: all)"),
                            new("to", "DATE", "Last statistics day, yyyy-MM-dd (default: all)"),
                        ],
                        Handler = MappingsCommand.ApplyAsync,
                    },
                ],
            },
            new Command("serve", "Serve the dashboard and its JSON API, and run the scheduled syncs, until Ctrl+C")
            {
                Options =
                [
                    new("port", "P", "Port (default 5080)"),
                    new("host", "HOST", "Address to listen on (default 127.0.0.1)"),
                    new("open", null, "No login (only on a loopback address)"),
                ],
                Handler = ServeCommand.RunAsync,
                Subcommands =
                [
                    new Command("hash-password", "Read a password from stdin and print its hash for ZAKAZ_DASHBOARD_PASSWORD_HASH")
                    {
                        Handler = ServeCommand.HashPasswordAsync,
                    },
                ],
            },
            new Command("doctor", "Check the chDB library, the store, the server and the configuration, and say what to fix")
            {
                Handler = DoctorCommand.RunAsync,
            },
            new Command("bench", "Benchmarks (they print figures; they are not tests)")
            {
                Subcommands =
                [
                    new Command("insert", "Typed-row insert speed into chDB and a ClickHouse server, against the engines' own speed")
                    {
                        Options =
                        [
                            new("rows", "N", "Rows for the throughput runs (default 1,000,000)"),
                            new("rss-rows", "N", "Rows streamed while peak memory is measured (default 10,000,000)"),
                            new("memory-only", null, "Only stream --rss-rows rows into chDB and print this process's peak memory in MB"),
                        ],
                        Handler = BenchCommand.InsertAsync,
                    },
                    new Command("dashboard", "p50 and p95 of every dashboard page's API calls over HTTP on a generated year (~1M orders, 200 events) in a fresh embedded store")
                    {
                        Options =
                        [
                            new("orders", "N", "Orders over the year (default 1,000,000)"),
                            new("requests", "N", "Timed loads of each page after the warm-up (default 100)"),
                        ],
                        Handler = BenchCommand.DashboardAsync,
                    },
                    new Command("qtickets", "Full Qtickets backfill from the in-process sandbox at concurrency 4 and 8 against the latency floor, then a 30-minute incremental run")
                    {
                        Options =
                        [
                            new("orders", "N", "Orders the sandbox generates (default 126,000)"),
                            new("latency-ms", "MS", "Latency of every sandbox request (default 150)"),
                            new("concurrency", "N", "Only run one load with N requests in flight against the sandbox at QTICKETS_BASE_URL and print its figures"),
                            new("add-orders-url", "URL", "With --concurrency: the sandbox's control URL that adds orders before the incremental run"),
                        ],
                        Handler = BenchCommand.QticketsAsync,
                    },
                ],
            },
            new Command("sandbox", "Local stand-ins for the outside APIs, for tests and demos (run until Ctrl+C)")
            {
                Subcommands =
                [
                    new Command("qtickets", "Serve the Qtickets REST v1 API for a generated promoter on 127.0.0.1; prints the base URL and token")
                    {
                        Options =
                        [
                            new("port", "P", "Port (default: a free one)"),
                            new("seed", "S", "Seed of the generated promoter (default 1)"),
                            new("orders", "N", "Orders to generate (default 20,000)"),
                            new("token", "T", "Bearer token to accept (default: a random one)"),
                            new("latency-ms", "MS", "Delay added to every API request (default 0)"),
                        ],
                        Handler = SandboxCommand.QticketsAsync,
                    },
                    new Command("vk-ads", "Serve the VK Ads API v2 for the same generated promoter on 127.0.0.1; prints VK_ADS_BASE_URL, the client id and secret")
                    {
                        Options =
                        [
                            new("port", "P", "Port (default: a free one)"),
                            new("seed", "S", "Seed of the generated promoter, as for the Qtickets sandbox (default 1)"),
                            new("orders", "N", "Orders of the Qtickets sandbox it advertises for (default 20,000)"),
                            new("anchor", "TIME", "\"Now\" of the generated data, ISO 8601 (default: the current minute); give the Qtickets sandbox's to match it"),
                            new("client-secret", "SECRET", "Client secret to accept (default: a random one)"),
                            new("token-lifetime-s", "N", "Seconds an access token lives (default 86,400)"),
                        ],
                        Handler = SandboxCommand.VkAdsAsync,
                    },
                ],
            },
        ],
    };
}
