namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz report roi</c> over the shared Qtickets fixtures: Russian notation for people, named columns for tools.</summary>
public class ReportCommandTests
{
    private static readonly string Fixtures = Path.Combine(SyncCommandTests.RepositoryRoot(), "tests", "Zakaz.Sources.Qtickets.Tests", "Fixtures");

    [Fact]
    public async Task The_table_for_people_uses_russian_notation_and_the_machine_formats_carry_names()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--since", "2025-10-01");

        var pretty = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "event", "--format", "PrettyCompact");
        var tsv = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "city", "--from", "2025-11-02", "--to", "2025-11-08", "--format", "TSV");
        var json = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "day", "--format", "JSONEachRow");

        Assert.Equal(0, pretty.ExitCode);
        var lines = pretty.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Marketing ROI by event, all dates (sale date against spend date; roubles)", lines[0]);
        Assert.StartsWith("event_id  event_name", lines[1], StringComparison.Ordinal);
        // No spend in the fixtures: revenue is there, ROAS and ROMI are undefined (a dash), CPO is 0.
        Assert.Matches("^total +0,00  15\u00A0900,00 +6 +10 +0 +— +— +0,00 +0,00 +—$", lines[^1]);
        Assert.Equal(0, tsv.ExitCode);
        Assert.Equal("""
            city	spend	revenue	orders	tickets	clicks	roas	romi	cpo	cpt	cpc
            новосибирск	0	8000	1	4	0	\N	\N	0	0	\N
            екатеринбург	0	3900	3	4	0	\N	\N	0	0	\N
            total	0	11900	4	8	0	\N	\N	0	0	\N

            """.ReplaceLineEndings("\n"), tsv.Output);
        Assert.EndsWith("""{"day":"total","spend":0,"revenue":15900,"orders":6,"tickets":10,"clicks":0,"roas":null,"romi":null,"cpo":0,"cpt":0,"cpc":null}""" + "\n",
            json.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_grain_is_a_usage_error()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "report", "roi", "--by", "week");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zakaz: --by must be day, city, campaign, event or source, not 'week'.", run.ErrorLines[0]);
    }
}
