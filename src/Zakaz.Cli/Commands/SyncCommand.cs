using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.Sync;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sources.GoogleSheets;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz sync qtickets</c>, <c>sheets</c>, <c>vk-ads</c> and <c>yandex-direct</c>: one sync; progress on stderr, what was written on stdout.</summary>
internal static class SyncCommand
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>Ten years: the most a window to re-read can sensibly span (QTICKETS_INITIAL_BACKFILL_DAYS has the same bound).</summary>
    private const int MaxDays = 3650;

    /// <summary>More requests in flight than this only earns 429s from Qtickets.</summary>
    private const int MaxConcurrency = 64;

    internal static readonly Option<DateOnly?> Since = CliOptions.Date("--since", "Read orders changed since this Moscow date, yyyy-MM-dd, instead of the watermark's window");
    internal static readonly Option<long> SinceHours = CliOptions.WholeNumber("--since-hours", "N", "Read orders changed in the last N hours", 0, MaxDays * 24);
    internal static readonly Option<bool> Reconcile = CliOptions.Flag("--reconcile", "Re-read every order of the events with a show in the future or ended within QTICKETS_RECONCILE_DAYS, ignoring the watermark");
    internal static readonly Option<long> Days = CliOptions.WholeNumber("--days", "N", "With --reconcile: re-read the orders changed in the last N days instead", 0, MaxDays);
    internal static readonly Option<bool> All = CliOptions.Flag("--all", "With --reconcile: re-read every order of every event (what the weekly reconcile does)");
    internal static readonly Option<bool> QticketsDryRun = CliOptions.Flag("--dry-run", "Fetch and transform, print what would be written, write nothing");
    internal static readonly Option<string?> Fixtures = CliOptions.Text("--fixtures", "DIR", "Read recorded API responses from DIR instead of the API");
    internal static readonly Option<long> Concurrency = CliOptions.WholeNumber("--concurrency", "N", "Qtickets requests in flight at once (default 4)", 4, MaxConcurrency);
    internal static readonly Option<string?> Streams = CliOptions.Text("--streams", "LIST", "orders, inventory or orders,inventory (default): what to read besides events and shows");
    internal static readonly Option<DateOnly?> From = CliOptions.Date("--from", "First statistics day, yyyy-MM-dd (default: yesterday minus the lookback, or the day after the last synced one)");
    internal static readonly Option<DateOnly?> To = CliOptions.Date("--to", "Last statistics day, yyyy-MM-dd (default: yesterday in Moscow); at most 366 days in all");
    internal static readonly Option<bool> AdsDryRun = CliOptions.Flag("--dry-run", "Fetch and map, print what would be written, write nothing");

    public static async Task<int> QticketsAsync(CliContext context)
    {
        var request = Request(context);
        var progress = new ProgressLines<SyncProgress>(context.Error);

        // The token is checked before the store is opened, so a missing one costs nothing and says so.
        using var client = context.Get(Fixtures) is { } fixtures
            ? QticketsClient.ForFixtures(fixtures, context.Loggers)
            : Client(context, request.Concurrency);
        await using var store = context.OpenStore();
        var sync = new QticketsSync(store, client, context.Options.Qtickets, progress);
        QticketsSyncResult result;
        try
        {
            result = await sync.RunAsync(request);
        }
        catch (QticketsSyncException e)
        {
            return await FailAsync(context, e);
        }

        var output = context.Out;
        if (result.DryRun)
        {
            await output.WriteLineAsync("Dry run: nothing was written.");
        }
        await WriteRowsAsync(output, result.DryRun, result.Rows);
        await output.WriteLineAsync($"Sale dates {(result.DryRun ? "to rebuild" : "rebuilt")}: {SaleDates(result.RebuiltDates)}");
        if (result.DryRun)
        {
            foreach (var sample in result.Samples)
            {
                await output.WriteLineAsync($"  {sample}");
            }
        }
        if (result.Watermark is { } watermark)
        {
            await output.WriteLineAsync($"Watermark moved to {watermark:O}");
        }
        return ZakazCli.Ok;
    }

    public static async Task<int> SheetsAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        using var http = GoogleSheetsSource.CreateHttpClient(loggers: context.Loggers);
        SheetsSyncResult result;
        try
        {
            result = await new SheetsSync(store, context.Options.GoogleSheets, http, new ProgressLines<SyncProgress>(context.Error)).RunAsync();
        }
        catch (Exception e) when (e is BadRowsException or SheetFormatException or GoogleSheetsException)
        {
            await SheetErrors.WriteAsync(context.Error, e);
            return ZakazCli.Failure;
        }
        if (result.Plan is { } plan)
        {
            await context.Out.WriteLineAsync(PlanCommand.Describe(plan));
        }
        if (result.InventoryRows + result.InventorySkipped > 0)
        {
            await context.Out.WriteLineAsync($"{QticketsTables.Inventory}: wrote {result.InventoryRows} event inventory row(s)" +
                (result.InventorySkipped > 0 ? $"; {result.InventorySkipped} skipped because Qtickets reports their seats" : ""));
        }
        return ZakazCli.Ok;
    }

    public static async Task<int> VkAdsAsync(CliContext context)
    {
        var (from, to) = context.Dates(From, To);
        var request = new AdSyncRequest { From = from, To = to, DryRun = context.Get(AdsDryRun) };
        // The client id and secret are checked before the store is opened, so missing ones cost nothing and say so.
        var clientOptions = VkAdsClientOptions.FromConfiguration(context.Options.VkAds);
        await using var store = context.OpenStore();
        using var client = VkAdsSource.Create(clientOptions, new VkAdsTokenTable(store), context.Loggers);
        var sync = new VkAdsSync(store, client, context.Options.VkAds, new ProgressLines<SyncProgress>(context.Error));
        return await AdSyncAsync<VkAdsSyncResult, VkAdsSyncException>(context, () => sync.RunAsync(request), result =>
            WriteAdSyncAsync(context.Out, result.DryRun, string.Create(CultureInfo.InvariantCulture,
                $"VK Ads account {result.AccountId}, {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}: {result.Rows["ad_plans"]} campaign(s), {result.Rows["ad_groups"]} ad group(s), {result.Rows["banners"]} banner(s)"),
                result.Rows, result.SpendByCity, note: null, result.Watermark));
    }

    public static async Task<int> YandexDirectAsync(CliContext context)
    {
        var (from, to) = context.Dates(From, To);
        var request = new AdSyncRequest { From = from, To = to, DryRun = context.Get(AdsDryRun) };
        // The token is checked before the store is opened, so a missing one costs nothing and says so.
        var clientOptions = YandexDirectClientOptions.FromConfiguration(context.Options.YandexDirect);
        await using var store = context.OpenStore();
        using var client = YandexDirectSource.Create(clientOptions, context.Loggers, context.Time);
        var sync = new YandexDirectSync(store, client, context.Options.YandexDirect, new ProgressLines<SyncProgress>(context.Error), context.Time);
        return await AdSyncAsync<YandexDirectSyncResult, YandexDirectSyncException>(context, () => sync.RunAsync(request), result =>
            WriteAdSyncAsync(context.Out, result.DryRun, string.Create(CultureInfo.InvariantCulture,
                $"Yandex Direct, {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}: {result.Rows["campaigns"]} campaign(s), {result.Rows["ad_groups"]} ad group(s), {result.Rows["ads"]} ad(s)"),
                result.Rows, result.SpendByCity, result.Units is { } units ? $"Points (spent/available/daily limit): {units}" : null, result.Watermark));
    }

    private static QticketsClient Client(CliContext context, int concurrency)
    {
        var configured = QticketsClientOptions.FromConfiguration(context.Options.Qtickets);
        return QticketsSource.Create(new QticketsClientOptions { BaseUrl = configured.BaseUrl, Token = configured.Token, MaxConcurrency = concurrency }, context.Loggers);
    }

    /// <summary>A sync's failure is already one line a person can act on; its cause follows only with --verbose.</summary>
    private static async Task<int> FailAsync(CliContext context, Exception failure)
    {
        await context.Error.WriteLineAsync($"zakaz: error: {failure.Message}");
        if (context.Verbose)
        {
            await context.Error.WriteLineAsync(failure.InnerException?.ToString());
        }
        return ZakazCli.Failure;
    }

    private static async Task WriteRowsAsync(TextWriter output, bool dryRun, IEnumerable<KeyValuePair<string, long>> rows)
    {
        foreach (var (table, count) in rows)
        {
            await output.WriteLineAsync($"{table}: {(dryRun ? "would write" : "wrote")} {count} row(s)");
        }
    }

    /// <summary>Runs an ad platform's sync and writes what it did; its own failure ends the command as <see cref="FailAsync"/> says.</summary>
    private static async Task<int> AdSyncAsync<TResult, TFailure>(CliContext context, Func<Task<TResult>> run, Func<TResult, Task> write)
        where TFailure : Exception
    {
        TResult result;
        try
        {
            result = await run();
        }
        catch (TFailure e)
        {
            return await FailAsync(context, e);
        }
        await write(result);
        return ZakazCli.Ok;
    }

    /// <summary>
    /// What an ad platform's sync did: the platform's line on what it read, the rows per table, the spend per city, a
    /// <paramref name="note"/> only that platform has, and where the watermark moved.
    /// </summary>
    private static async Task WriteAdSyncAsync(TextWriter output, bool dryRun, string objects, IReadOnlyDictionary<string, long> rows,
        IReadOnlyDictionary<string, decimal> spendByCity, string? note, DateOnly? watermark)
    {
        if (dryRun)
        {
            await output.WriteLineAsync("Dry run: nothing was written.");
        }
        await output.WriteLineAsync(objects);
        await WriteRowsAsync(output, dryRun, rows.Where(r => r.Key.StartsWith("zakaz.", StringComparison.Ordinal)));
        foreach (var (city, spend) in spendByCity)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  spend {city}: {spend:0.00}"));
        }
        if (note is not null)
        {
            await output.WriteLineAsync(note);
        }
        if (watermark is { } moved)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Watermark moved to {moved:yyyy-MM-dd}"));
        }
    }

    private static QticketsSyncRequest Request(CliContext context)
    {
        var sinceDate = context.Get(Since);
        var sinceHours = context.Given(SinceHours);
        var reconcile = context.Get(Reconcile);
        var days = context.Given(Days);
        if (sinceDate is not null && sinceHours)
        {
            throw new UsageException("--since and --since-hours both say where to start: give one.");
        }
        if (reconcile && (sinceDate is not null || sinceHours))
        {
            throw new UsageException("--reconcile ignores the window: use --days N with it instead of --since.");
        }
        if (days && !reconcile)
        {
            throw new UsageException("--days goes with --reconcile.");
        }
        if (context.Get(All) && (!reconcile || days))
        {
            throw new UsageException("--all goes with --reconcile, without --days.");
        }
        DateTimeOffset? since = null;
        if (sinceDate is not null)
        {
            // A date is the start of that day in Moscow, the business calendar of the facts.
            var start = sinceDate.Value.ToDateTime(TimeOnly.MinValue);
            since = new DateTimeOffset(start, Moscow.GetUtcOffset(start));
        }
        else if (sinceHours)
        {
            since = context.Time.GetUtcNow().AddHours(-context.Get(SinceHours));
        }
        return new QticketsSyncRequest
        {
            Since = since,
            Reconcile = reconcile,
            Days = days ? (int)context.Get(Days) : null,
            AllOrders = context.Get(All),
            DryRun = context.Get(QticketsDryRun),
            Concurrency = (int)context.Get(Concurrency),
            Streams = StreamsOf(context.Get(Streams)),
        };
    }

    private static QticketsStreams StreamsOf(string? list) => list switch
    {
        null or "all" or "orders,inventory" or "inventory,orders" => QticketsStreams.All,
        "orders" => QticketsStreams.Orders,
        "inventory" => QticketsStreams.Inventory,
        _ => throw new UsageException($"--streams takes orders, inventory or both (orders,inventory), not '{list}'."),
    };

    /// <summary>"none", or how many dates and their runs (a backfill touches hundreds: the first few runs, then how many more).</summary>
    internal static string SaleDates(IReadOnlyCollection<DateOnly> dates)
    {
        const int Shown = 6;
        if (dates.Count == 0)
        {
            return "none";
        }
        var ranges = DateRange.Group(dates);
        var text = string.Join(", ", ranges.Take(Shown)) + (ranges.Count > Shown ? $" and {ranges.Count - Shown} more run(s)" : "");
        return $"{dates.Count} ({text})";
    }
}
