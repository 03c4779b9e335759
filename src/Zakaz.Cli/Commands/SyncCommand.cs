using System.Globalization;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.VkAds;
using Zakaz.Sources.GoogleSheets;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz sync qtickets</c>, <c>sheets</c> and <c>vk-ads</c>: one sync; progress on stderr, what was written on stdout.</summary>
internal static class SyncCommand
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>Ten years: the most a window to re-read can sensibly span (QTICKETS_INITIAL_BACKFILL_DAYS has the same bound).</summary>
    private const int MaxDays = 3650;

    /// <summary>More requests in flight than this only earns 429s from Qtickets.</summary>
    private const int MaxConcurrency = 64;

    public static async Task<int> QticketsAsync(CliContext context)
    {
        var invocation = context.Invocation;
        var request = Request(invocation);
        Action<string> progress = line => context.Error.WriteLine(line);

        // The token is checked before the store is opened, so a missing one costs nothing and says so.
        using var client = invocation.Value("fixtures") is { } fixtures
            ? QticketsClient.ForFixtures(fixtures)
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
        using var http = GoogleSheetsSource.CreateHttpClient();
        SheetsSyncResult result;
        try
        {
            result = await new SheetsSync(store, context.Options.GoogleSheets, http, line => context.Error.WriteLine(line)).RunAsync();
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
        var invocation = context.Invocation;
        var request = new VkAdsSyncRequest { From = invocation.Date("from"), To = invocation.Date("to"), DryRun = invocation.Flag("dry-run") };
        if (request.From > request.To)
        {
            throw new UsageException($"--from {invocation.Value("from")} is after --to {invocation.Value("to")}.");
        }
        Action<string> progress = line => context.Error.WriteLine(line);
        // The client id and secret are checked before the store is opened, so missing ones cost nothing and say so.
        var clientOptions = VkAdsClientOptions.FromConfiguration(context.Options.VkAds);
        await using var store = context.OpenStore();
        using var client = VkAdsSource.Create(clientOptions, new VkAdsTokenTable(store));
        VkAdsSyncResult result;
        try
        {
            result = await new VkAdsSync(store, client, context.Options.VkAds, progress).RunAsync(request);
        }
        catch (VkAdsSyncException e)
        {
            return await FailAsync(context, e);
        }

        var output = context.Out;
        if (result.DryRun)
        {
            await output.WriteLineAsync("Dry run: nothing was written.");
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"VK Ads account {result.AccountId}, {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}: {result.Rows["ad_plans"]} campaign(s), {result.Rows["ad_groups"]} ad group(s), {result.Rows["banners"]} banner(s)"));
        await WriteRowsAsync(output, result.DryRun, result.Rows.Where(r => r.Key.StartsWith("zakaz.", StringComparison.Ordinal)));
        foreach (var (city, spend) in result.SpendByCity)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  spend {city}: {spend:0.00}"));
        }
        if (result.Watermark is { } watermark)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Watermark moved to {watermark:yyyy-MM-dd}"));
        }
        return ZakazCli.Ok;
    }

    private static QticketsClient Client(CliContext context, int concurrency)
    {
        var configured = QticketsClientOptions.FromConfiguration(context.Options.Qtickets);
        return QticketsSource.Create(new QticketsClientOptions { BaseUrl = configured.BaseUrl, Token = configured.Token, MaxConcurrency = concurrency });
    }

    /// <summary>A sync's failure is already one line a person can act on; its cause follows only with --verbose.</summary>
    private static async Task<int> FailAsync(CliContext context, Exception failure)
    {
        await context.Error.WriteLineAsync($"zakaz: error: {failure.Message}");
        if (context.Invocation.Flag("verbose"))
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

    private static QticketsSyncRequest Request(Invocation invocation)
    {
        var sinceDate = invocation.Value("since");
        var sinceHours = invocation.Value("since-hours");
        var reconcile = invocation.Flag("reconcile");
        if (sinceDate is not null && sinceHours is not null)
        {
            throw new UsageException("--since and --since-hours both say where to start: give one.");
        }
        if (reconcile && (sinceDate ?? sinceHours) is not null)
        {
            throw new UsageException("--reconcile ignores the window: use --days N with it instead of --since.");
        }
        if (invocation.Value("days") is not null && !reconcile)
        {
            throw new UsageException("--days goes with --reconcile.");
        }
        if (invocation.Flag("all") && (!reconcile || invocation.Value("days") is not null))
        {
            throw new UsageException("--all goes with --reconcile, without --days.");
        }
        DateTimeOffset? since = null;
        if (sinceDate is not null)
        {
            // A date is the start of that day in Moscow, the business calendar of the facts.
            var start = invocation.Date("since")!.Value.ToDateTime(TimeOnly.MinValue);
            since = new DateTimeOffset(start, Moscow.GetUtcOffset(start));
        }
        else if (sinceHours is not null)
        {
            since = DateTimeOffset.UtcNow.AddHours(-invocation.Int32("since-hours", 0, MaxDays * 24));
        }
        return new QticketsSyncRequest
        {
            Since = since,
            Reconcile = reconcile,
            Days = invocation.Value("days") is null ? null : invocation.Int32("days", 0, MaxDays),
            AllOrders = invocation.Flag("all"),
            DryRun = invocation.Flag("dry-run"),
            Concurrency = invocation.Int32("concurrency", 4, MaxConcurrency),
            Streams = Streams(invocation.Value("streams")),
        };
    }

    private static QticketsStreams Streams(string? list) => list switch
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
