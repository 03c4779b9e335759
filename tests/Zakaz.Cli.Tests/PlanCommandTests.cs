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
    public async Task Empty_files_impossible_amounts_and_dates_are_one_message_each_naming_the_file_and_line()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        const string Header = "sales_date,event_id,city,plan_tickets,plan_revenue\n";
        var empty = await WriteAsync("empty", []);
        var blank = await WriteAsync("blank", "\n \n"u8.ToArray());
        var huge = await WriteAsync("huge", System.Text.Encoding.UTF8.GetBytes(Header + "2025-03-02,7,ekb,5,100000000000000000\n"));
        var ancient = await WriteAsync("ancient", System.Text.Encoding.UTF8.GetBytes(Header + "2025-03-02,7,ekb,5,500\n0001-01-01,7,ekb,5,500\n"));
        var utf16NoBom = await WriteAsync("utf16", new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: false).GetBytes(Header + "2025-03-02,7,ekb,5,500\n"));

        foreach (var (file, lines) in new[]
                 {
                     (empty, new[] { $"zakaz: error: {Path.GetFileName(empty)} is empty: it needs a header row." }),
                     (blank, [$"zakaz: error: {Path.GetFileName(blank)} is empty: it needs a header row."]),
                     (huge,
                     [
                         $"{Path.GetFileName(huge)}:2: plan_revenue '100000000000000000' is more than 9999999999999999.99",
                         $"zakaz: error: {Path.GetFileName(huge)} has 1 bad row(s) (listed above); nothing was imported. Fix them and import again.",
                     ]),
                     (ancient,
                     [
                         $"{Path.GetFileName(ancient)}:3: sales_date '0001-01-01' is not a date from 2000-01-01 to 2099-12-31",
                         $"zakaz: error: {Path.GetFileName(ancient)} has 1 bad row(s) (listed above); nothing was imported. Fix them and import again.",
                     ]),
                     (utf16NoBom, [$"zakaz: error: {Path.GetFileName(utf16NoBom)} holds NUL characters, so it is not CSV text (UTF-16 without a byte order mark?). Save it as CSV UTF-8."]),
                 })
        {
            var run = await ZakazProcess.RunAsync("--data", data, "plan", "import", file);

            Assert.Equal(1, run.ExitCode);
            Assert.Equal(lines, run.ErrorLines);
        }
        var rows = await ZakazProcess.RunAsync("--data", data, "query", "SELECT count() FROM zakaz.plan_sales", "--format", "TSV");
        Assert.Equal("0\n", rows.Output);
    }

    [Fact]
    public async Task A_utf16_file_as_excel_saves_unicode_text_is_imported()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var text = "дата\tмероприятие\tгород\tплан_билетов\tплан_выручки\r\n01.03.2025\t7\tЕкб\t10\t1 500,50\r\n";
        var file = await WriteAsync("unicode", [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text)]);

        var run = await ZakazProcess.RunAsync("--data", data, "plan", "import", file);
        var plan = await ZakazProcess.RunAsync("--data", data, "query", "SELECT d, event_id, city, plan_tickets, plan_revenue FROM bi.v_plan_vs_fact", "--format", "TSV");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("2025-03-01\t7\tекатеринбург\t10\t1500.5\n", plan.Output);
    }

    private static async Task<string> WriteAsync(string name, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    [Fact]
    public async Task A_missing_file_is_one_line()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "plan", "import", "/nonexistent/plan.csv");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["zakaz: error: The plan file /nonexistent/plan.csv does not exist: give the path of a CSV file (sales_date,event_id,city,plan_tickets,plan_revenue)."], run.ErrorLines);
    }
}
