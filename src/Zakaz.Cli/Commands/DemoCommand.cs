using System.Globalization;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

/// <summary>
/// The README's first command: prepares the embedded store, starts the Qtickets sandbox in this
/// process, backfills every order from it over real HTTP and prints what the store now says next
/// to the sandbox's own ground truth. The dashboard issue grows it into the full demo.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(CliContext context)
    {
        var output = context.Out;
        var orders = checked((int)context.Invocation.Int64("orders", 20_000));
        await output.WriteLineAsync($"Opening the embedded store at {Path.GetFullPath(context.Options.Storage.DataDirectory)} ...");
        await using var store = context.OpenEmbeddedStore();
        var report = await new MigrationRunner(store, MigrationSet.Embedded()).MigrateAsync(line => output.WriteLine("  " + line));

        await output.WriteLineAsync($"Starting the Qtickets sandbox with {orders:N0} generated orders ...");
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = orders });
        // The demo always reads the sandbox, whatever Qtickets account the configuration names.
        var qtickets = context.Options.Qtickets;
        qtickets.BaseUrl = new Uri(sandbox.BaseUrl.ToString());
        qtickets.Token = sandbox.Token;
        Action<string> progress = line => context.Error.WriteLine("  " + line);
        using var client = new QticketsClient(QticketsClientOptions.FromConfiguration(qtickets, progress));
        var result = await new QticketsSync(store, client, qtickets, progress)
            .RunAsync(new QticketsSyncRequest { Since = sandbox.Anchor.AddYears(-3) });
        await output.WriteLineAsync($"Loaded {result.Rows.Sum(r => r.Value):N0} staging row(s) from {sandbox.BaseUrl}; rebuilt {result.RebuiltDates.Count} sale date(s).");

        var summary = await StoreSummary.ReadAsync(store);
        var sales = await store.QueryAsync("""
            SELECT sum(orders), sum(tickets_sold), sum(revenue), uniqExact(event_id), uniqExact(city)
            FROM bi.v_sales_daily
            """);
        var truth = sandbox.Truth;
        var loaded = (Orders: sales.Get<ulong>(0, 0), Tickets: sales.Get<ulong>(0, 1), Revenue: sales.Get<decimal>(0, 2));
        var matches = loaded.Orders == (ulong)truth.Orders && loaded.Tickets == (ulong)truth.TicketsSold && loaded.Revenue == truth.Revenue;
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        await output.WriteLineAsync($"Engine:     chDB {summary.EngineVersion} (embedded, no server)");
        await output.WriteLineAsync($"Migrations: {report.Migrations.Count} applied now, {MigrationSet.Embedded().Migrations.Count} in total");
        await output.WriteLineAsync($"Objects:    {summary.ObjectsLine}");
        await output.WriteLineAsync($"Sales:      {loaded.Orders.ToString("N0", ru)} orders, {loaded.Tickets.ToString("N0", ru)} tickets, {loaded.Revenue.ToString("N2", ru)} ₽ " +
            $"across {sales.Get<ulong>(0, 3)} events in {sales.Get<ulong>(0, 4)} cities");
        await output.WriteLineAsync(matches
            ? "Check:      equals the sandbox's ground truth"
            : $"Check:      DIFFERS from the sandbox's ground truth ({truth.Orders} orders, {truth.TicketsSold} tickets, {truth.Revenue} ₽)");
        await output.WriteLineAsync("Next:       ./zakaz query \"SELECT d, city, sum(revenue) FROM bi.v_sales_daily GROUP BY d, city ORDER BY d DESC LIMIT 20\"");
        return matches ? ZakazCli.Ok : ZakazCli.Failure;
    }
}
