using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Sheets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Plans;

public sealed record PlanRow(DateOnly SalesDate, ulong EventId, string City, ulong Tickets, decimal Revenue);

/// <summary>What an import wrote: the plan rows, the span of their dates, and stored rows of the same events and dates the file no longer has (zeroed).</summary>
public sealed record PlanImportResult(string Source, int Rows, DateRange? Dates, long Zeroed);

/// <summary>
/// Imports a sales plan (<c>sales_date,event_id,city,plan_tickets,plan_revenue</c>, English or Russian headers) into
/// <c>zakaz.plan_sales</c>, every row or none (the error lists every bad row by line). A file replaces the plan of
/// its events over its dates: rows it no longer has are rewritten as zeros, which the views leave out.
/// </summary>
public sealed class PlanImport(IClickHouseStore store, TimeProvider? time = null)
{
    public const string Job = "plans.import";
    public const string Table = "zakaz.plan_sales";

    public static IReadOnlyList<SheetColumn> Columns { get; } =
    [
        new("sales_date", true, "date", "дата", "дата продаж", "день"),
        new("event_id", true, "event", "мероприятие", "id мероприятия", "событие", "event id"),
        new("city", true, "город"),
        new("plan_tickets", true, "tickets", "план билетов", "билеты", "план по билетам"),
        new("plan_revenue", true, "revenue", "план выручки", "выручка", "план по выручке"),
    ];

    private static readonly RowSchema<PlanRecord> Schema = new RowSchema<PlanRecord>()
        .Column("sales_date", "Date", r => r.Plan.SalesDate)
        .Column("event_id", "UInt64", r => r.Plan.EventId)
        .Column("city", "LowCardinality(String)", r => r.Plan.City)
        .Column("plan_tickets", "UInt64", r => r.Plan.Tickets)
        .Column("plan_revenue", "Decimal(18, 2)", r => r.Plan.Revenue)
        .Versioned(r => r.Version, r => r.LoadedAt);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<PlanImportResult> RunAsync(SheetTable table, CancellationToken cancellationToken = default) =>
        new JobRunLog(store, _time).RecordAsync(Job, token => ImportAsync(table, token), result => new RunSummary(result.Rows, Metrics(result)),
            cancellationToken: cancellationToken);

    /// <summary>Checks every row, then writes them all (no job run: the caller records one).</summary>
    public async Task<PlanImportResult> ImportAsync(SheetTable table, CancellationToken cancellationToken = default)
    {
        var plans = await ParseAsync(table, cancellationToken);
        if (plans.Count == 0)
        {
            return new PlanImportResult(table.Source, 0, null, 0);
        }
        var loadedAt = _time.GetUtcNow();
        var version = JobRunLog.UnixMilliseconds(loadedAt);
        // The file's rows outrank the zeros written after them for the keys they share.
        await store.InsertAsync(Table, Schema, plans.Select(p => new PlanRecord(p, version + 1, loadedAt)), cancellationToken: cancellationToken);
        var dates = new DateRange(plans.Min(p => p.SalesDate), plans.Max(p => p.SalesDate));
        var parameters = new QueryParameters()
            .Add("events", plans.Select(p => p.EventId).Distinct().ToArray())
            .Add("from", dates.From)
            .Add("to", dates.To)
            .Add("ver", version);
        var zeroed = await store.QueryAsync("""
            SELECT count() FROM zakaz.plan_sales FINAL
            WHERE event_id IN {events:Array(UInt64)} AND sales_date BETWEEN {from:Date} AND {to:Date}
              AND _ver < {ver:UInt64} AND (plan_tickets != 0 OR plan_revenue != 0)
            """, parameters, cancellationToken: cancellationToken);
        await store.ExecuteAsync("""
            INSERT INTO zakaz.plan_sales (sales_date, event_id, city, plan_tickets, plan_revenue, _ver, _loaded_at)
            SELECT sales_date, event_id, city, 0, 0, {ver:UInt64}, now('UTC')
            FROM zakaz.plan_sales FINAL
            WHERE event_id IN {events:Array(UInt64)} AND sales_date BETWEEN {from:Date} AND {to:Date}
              AND _ver < {ver:UInt64} AND (plan_tickets != 0 OR plan_revenue != 0)
            """, parameters, cancellationToken: cancellationToken);
        await new FactBuilder(store, _time).RebuildPlanVsFactAsync(dates.From, dates.To, cancellationToken);
        return new PlanImportResult(table.Source, plans.Count, dates, checked((long)zeroed.Scalar<ulong>()));
    }

    public async Task<IReadOnlyList<PlanRow>> ParseAsync(SheetTable table, CancellationToken cancellationToken = default)
    {
        var columns = SheetColumns.Locate(table, Columns);
        var cities = await CityAliases.LoadAsync(store, cancellationToken);
        return BadRowsException.ReadAll(table, ", ", (row, problems) =>
        {
            var date = SheetValues.Date(columns.Cell(row, "sales_date"), out var problem);
            Note(problems, "sales_date", problem);
            var eventId = SheetValues.Id(columns.Cell(row, "event_id"), out problem);
            Note(problems, "event_id", problem);
            var cityText = columns.Cell(row, "city");
            if (cityText.Length == 0)
            {
                problems.Add("city is empty");
            }
            var tickets = SheetValues.Count(columns.Cell(row, "plan_tickets"), out problem);
            Note(problems, "plan_tickets", problem);
            var revenue = SheetValues.Money(columns.Cell(row, "plan_revenue"), out problem);
            Note(problems, "plan_revenue", problem);
            return problems.Count > 0 ? null : new PlanRow(date!.Value, eventId!.Value, cities.Resolve(cityText), tickets!.Value, revenue!.Value);
        }, p => (p.SalesDate, p.EventId, p.City), (p, earlier) => $"repeats line {earlier} (same sales_date, event_id and city {p.City})");
    }

    internal static object Metrics(PlanImportResult result) => new
    {
        source = result.Source,
        rows = result.Rows,
        from = result.Dates?.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to = result.Dates?.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        zeroed = result.Zeroed,
    };

    private static void Note(List<string> problems, string column, string? problem)
    {
        if (problem is not null)
        {
            problems.Add($"{column} {problem}");
        }
    }

    private sealed record PlanRecord(PlanRow Plan, ulong Version, DateTimeOffset LoadedAt);
}
