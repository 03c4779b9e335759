using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Plans;
using Zakaz.Pipeline.Sheets;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.PipelineQueries;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests.Plans;

/// <summary>Plans from CSV into zakaz.plan_sales and bi.v_plan_vs_fact: all rows or none, cities canonical, re-import replaces.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class PlanImportTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private readonly PlanImport _import = new(schema.Store);

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_russian_file_is_imported_with_canonical_cities_and_shows_against_the_facts()
    {
        await new Staging(schema.Store).Event(101, "Концерт", "томск");
        await new Staging(schema.Store).Sale(1, 101, Msk(2025, 1, 10), 1000m, 500m);
        await new FactBuilder(schema.Store).RebuildAsync(new DateOnly(2025, 1, 10), new DateOnly(2025, 1, 10));

        var result = await _import.RunAsync(CsvText.Parse("plan.csv", """
            Дата;Мероприятие;Город;План билетов;План выручки
            10.01.2025;101;Томск;3;"2 000,00"
            2025-01-11;101;tomsk;1 200;1 234 567,5
            2025-01-11;202;СПб;0;0
            """));

        Assert.Equal(new PlanImportResult("plan.csv", 3, new DateRange(new DateOnly(2025, 1, 10), new DateOnly(2025, 1, 11)), 0), result);
        Assert.Equal("""
            2025-01-10	101	томск	3	2000	2	1500	-500	-0.25	-1
            2025-01-11	101	томск	1200	1234567.5	0	0	-1234567.5	-1	-1200
            """.ReplaceLineEndings("\n"), await TextAsync(schema.Store, "SELECT * FROM bi.v_plan_vs_fact ORDER BY d, event_id"));
        // The dashboard's stored copy is written by the import, too.
        Assert.Equal(await TextAsync(schema.Store, "SELECT * FROM bi.v_plan_vs_fact ORDER BY d, event_id"),
            await TextAsync(schema.Store, "SELECT * FROM bi.v_plan_vs_fact_mart ORDER BY d, event_id"));
        Assert.Equal("plans.import\tok\t3", await TextAsync(schema.Store, "SELECT job, status, rows_processed FROM zakaz.meta_job_runs FINAL"));
    }

    [Fact]
    public async Task A_file_with_bad_rows_imports_nothing_and_names_every_bad_line()
    {
        var table = CsvText.Parse("bad.csv", """
            sales_date,event_id,city,plan_tickets,plan_revenue
            2025-01-10,101,msk,10,"1 234,50"
            2025-02-30,101,msk,10,100
            2025-01-11,abc,,1.5,-3
            2025-01-12,101,msk,10,100
            2025-01-12,101,Москва,1,1
            """);

        var error = await Assert.ThrowsAsync<BadRowsException>(() => _import.RunAsync(table));

        Assert.Equal(
        [
            new BadRow(3, "sales_date '2025-02-30' is not a date (yyyy-MM-dd or dd.MM.yyyy)"),
            new BadRow(4, "event_id 'abc' is not a number, city is empty, plan_tickets '1.5' is not a whole number of 0 or more, plan_revenue '-3' is negative"),
            new BadRow(6, "repeats line 5 (same sales_date, event_id and city москва)"),
        ], error.Rows);
        Assert.Equal("0", await TextAsync(schema.Store, "SELECT count() FROM zakaz.plan_sales"));
        Assert.StartsWith("plans.import\terror\tbad.csv: 3 bad row(s), nothing was imported: line 3: sales_date",
            await TextAsync(schema.Store, "SELECT job, status, message FROM zakaz.meta_job_runs FINAL"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reimport_replaces_the_plan_of_its_events_and_dates_and_leaves_others()
    {
        await _import.RunAsync(CsvText.Parse("v1.csv", """
            sales_date,event_id,city,plan_tickets,plan_revenue
            2025-01-10,101,msk,10,1000
            2025-01-11,101,msk,10,1000
            2025-01-10,202,spb,5,500
            """));

        var second = await _import.RunAsync(CsvText.Parse("v2.csv", """
            sales_date,event_id,city,plan_tickets,plan_revenue
            2025-01-10,101,msk,20,2000
            """));

        Assert.Equal(0, second.Zeroed); // 2025-01-11 is outside the new file's dates
        var third = await _import.RunAsync(CsvText.Parse("v3.csv", """
            sales_date,event_id,city,plan_tickets,plan_revenue
            2025-01-11,101,msk,7,700
            2025-01-10,101,kzn,1,100
            """));

        Assert.Equal(1, third.Zeroed);
        Assert.Equal("""
            2025-01-10	101	казань	1	100
            2025-01-10	202	санкт-петербург	5	500
            2025-01-11	101	москва	7	700
            """.ReplaceLineEndings("\n"), await TextAsync(schema.Store,
            "SELECT d, event_id, city, plan_tickets, plan_revenue FROM bi.v_plan_vs_fact ORDER BY d, event_id, city"));
        // The keys the re-import zeroed leave the stored copy too.
        Assert.Equal(await TextAsync(schema.Store, "SELECT * FROM bi.v_plan_vs_fact ORDER BY d, event_id, city"),
            await TextAsync(schema.Store, "SELECT * FROM bi.v_plan_vs_fact_mart ORDER BY d, event_id, city"));
    }
}
