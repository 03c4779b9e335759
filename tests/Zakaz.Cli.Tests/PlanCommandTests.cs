namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz plan import</c> as marketing runs it: a good Russian file, then a bad one that changes nothing.</summary>
public class PlanCommandTests
{
    [Fact]
    public async Task A_good_file_is_imported_and_a_bad_file_lists_its_lines_and_imports_nothing()
    {
        var data = ZakazProcess.NewDataDirectory();
        var good = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.csv");
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(good, "дата;мероприятие;город;план_билетов;план_выручки\n01.03.2025;7;Екб;1\u00a0000;\"1 234 567,50\"\n");
        await File.WriteAllTextAsync(bad, "sales_date,event_id,city,plan_tickets,plan_revenue\n2025-03-02,7,ekb,5,500\n2025-03-03,7,ekb,five,500\n");
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var imported = await ZakazProcess.RunAsync("--data", data, "plan", "import", good);
        var rejected = await ZakazProcess.RunAsync("--data", data, "plan", "import", bad);
        var plan = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT d, event_id, city, plan_tickets, plan_revenue FROM bi.v_plan_vs_fact", "--format", "TSV");
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'plans.import' ORDER BY status", "--format", "TSV");

        Assert.Equal(0, imported.ExitCode);
        Assert.Equal($"zakaz.plan_sales: wrote 1 plan row(s) for 2025-03-01 from {Path.GetFileName(good)}\n", imported.Output);
        Assert.Equal(1, rejected.ExitCode);
        Assert.Equal(
        [
            $"{Path.GetFileName(bad)}:3: plan_tickets 'five' is not a number",
            $"zakaz: error: {Path.GetFileName(bad)} has 1 bad row(s) (listed above); nothing was imported. Fix them and import again.",
        ], rejected.ErrorLines);
        Assert.Equal("2025-03-01\t7\tекатеринбург\t1000\t1234567.5\n", plan.Output);
        // Both runs may start within one second (started_at's precision), so they are compared as a set.
        Assert.Equal("error\nok\n", runs.Output);
    }

    [Fact]
    public async Task A_missing_file_is_one_line()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "plan", "import", "/nonexistent/plan.csv");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["zakaz: error: The plan file /nonexistent/plan.csv does not exist: give the path of a CSV file (sales_date,event_id,city,plan_tickets,plan_revenue)."], run.ErrorLines);
    }
}
