namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz facts rebuild</c> on the embedded store, as an operator runs it.</summary>
public class FactsCommandTests
{
    [Fact]
    public async Task Rebuilding_a_month_prints_one_line_per_table_and_records_the_run()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var rebuild = await ZakazProcess.RunAsync("--data", data, "facts", "rebuild", "--from", "2025-01-01", "--to", "2025-01-31");
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT job, status, rows_processed, finished_at IS NOT NULL FROM zakaz.meta_job_runs FINAL", "--format", "TSV");

        Assert.Equal(0, rebuild.ExitCode);
        Assert.Equal(
            "zakaz.fact_qtickets_sales_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.fact_qtickets_sales_utm_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.fact_qtickets_sales_minutely: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_vk_ads_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_ads_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_marketing_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_campaign_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_marketing_source_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n" +
            "zakaz.dm_plan_vs_fact_daily: 0 row(s) written for 2025-01-01..2025-01-31, 0 of them zeroed\n",
            rebuild.Output);
        Assert.Equal("facts.rebuild\tok\t0\t1\n", runs.Output);
    }

    [Fact]
    public async Task Without_dates_every_date_in_staging_is_rebuilt()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        await ZakazProcess.RunAsync("--data", data, "query", """
            INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, payed_at, created_at, updated_at, _ver)
            VALUES (1, 7, 1, '2025-03-08 12:00:00', '2025-03-08 11:50:00', '2025-03-08 12:00:00', 1)
            """);
        await ZakazProcess.RunAsync("--data", data, "query", """
            INSERT INTO zakaz.stg_qtickets_api_tickets_raw (basket_id, order_id, event_id, quantity, price, created_at, _ver)
            VALUES (10, 1, 7, 1, 1500, '2025-03-08 11:50:00', 1)
            """);

        var rebuild = await ZakazProcess.RunAsync("--data", data, "facts", "rebuild");
        var fact = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT sales_date, city, orders, tickets_sold, revenue FROM zakaz.fact_qtickets_sales_daily FINAL", "--format", "TSV");

        Assert.Equal(0, rebuild.ExitCode);
        Assert.StartsWith("zakaz.fact_qtickets_sales_daily: 1 row(s) written for 2025-03-08, 0 of them zeroed\n", rebuild.Output, StringComparison.Ordinal);
        Assert.Equal("2025-03-08\tunknown\t1\t1\t1500\n", fact.Output);
    }

    [Theory]
    [InlineData("--from", "nonsense", "--to", "2025-01-31")]
    [InlineData("--from", "2025-01-01", "--to", "31.01.2025")]
    [InlineData("--from", "2025-01-01")]
    [InlineData("--from", "2025-02-01", "--to", "2025-01-01")]
    public async Task Bad_dates_are_usage_errors(params string[] dates)
    {
        var run = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), "facts", "rebuild", .. dates]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
