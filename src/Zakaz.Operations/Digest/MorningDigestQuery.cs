using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Reports;
using Zakaz.Storage;

namespace Zakaz.Operations.Digest;

/// <summary>
/// Reads the figures of the morning digest for a business date from the <c>bi</c> views only (what the dashboard and
/// external BI tools read), with the dashboard's rules: ratios from sums, spend a platform has not reported is unknown
/// rather than zero, Moscow dates.
/// </summary>
public sealed class MorningDigestQuery(IClickHouseStore store, TimeProvider? time = null)
{
    /// <summary>ROMI per city is judged over this many complete days: one day of a city is too noisy to move budget on.</summary>
    public const int RoiDays = 7;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Yesterday in Moscow: the day a morning digest is about.</summary>
    public DateOnly Yesterday => RussianFormat.MoscowDate(_time.GetUtcNow()).AddDays(-1);

    public async Task<MorningDigest> ReadAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var sales = await SalesAsync(date, cancellationToken);
        var freshness = await store.QueryAsync("""
            SELECT source, status, last_loaded_at, last_data_ts, source IN (SELECT splitByChar('.', job)[1] FROM bi.v_ops_job_runs) AS has_runs
            FROM bi.v_ops_freshness
            ORDER BY source
            """, cancellationToken: cancellationToken);
        var spend = await SpendAsync(date, freshness, cancellationToken);
        // Spend not yet reported would flatter every city's ROMI, so the period then ends the day before.
        var roiTo = spend.All(p => p.Spend is not null) ? date : date.AddDays(-1);
        return new MorningDigest(
            date,
            sales(date),
            sales(date.AddDays(-1)),
            sales(date.AddDays(-7)),
            spend,
            await CityRoiAsync(roiTo.AddDays(1 - RoiDays), roiTo, cancellationToken),
            await EventsAtRiskAsync(RussianFormat.MoscowDate(_time.GetUtcNow()), cancellationToken),
            await PlanAsync(date, cancellationToken),
            Health(freshness));
    }

    private async Task<Func<DateOnly, SalesDay>> SalesAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync("""
            SELECT d, sum(orders) AS orders, sum(tickets_sold) AS tickets, sum(revenue) AS revenue
            FROM bi.v_sales_daily
            WHERE d IN ({day:Date}, {before:Date}, {week:Date})
            GROUP BY d
            """, new QueryParameters().Add("day", date).Add("before", date.AddDays(-1)).Add("week", date.AddDays(-7)),
            cancellationToken: cancellationToken);
        var days = Enumerable.Range(0, rows.Rows.Count).ToDictionary(i => rows.Get<DateOnly>(i, "d"),
            i => new SalesDay(rows.Get<DateOnly>(i, "d"), rows.Get<ulong>(i, "orders"), rows.Get<ulong>(i, "tickets"), rows.Get<decimal>(i, "revenue")));
        return day => days.GetValueOrDefault(day) ?? new SalesDay(day, 0, 0, 0m);
    }

    /// <summary>
    /// Each platform that has ever loaded or reported spend. A platform has reported a day when it has statistics of that
    /// day or later, or loaded successfully after the day ended (a day without spend has no rows).
    /// </summary>
    private async Task<IReadOnlyList<PlatformSpend>> SpendAsync(DateOnly date, QueryResult freshness, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync("""
            SELECT source, sumIf(spend, d = {day:Date}) AS spend, max(d) AS last_day
            FROM bi.v_ad_spend_daily
            GROUP BY source
            """, new QueryParameters().Add("day", date), cancellationToken: cancellationToken);
        var spent = Enumerable.Range(0, rows.Rows.Count)
            .ToDictionary(i => rows.Get<string>(i, "source"), i => (Spend: rows.Get<decimal>(i, "spend"), LastDay: rows.Get<DateOnly>(i, "last_day")));
        var loaded = Enumerable.Range(0, freshness.Rows.Count)
            .ToDictionary(i => freshness.Get<string>(i, "source"), i => freshness.Get<DateTimeOffset?>(i, "last_loaded_at"));
        var platforms = new List<PlatformSpend>();
        foreach (var source in AdSources.All)
        {
            var hasSpend = spent.TryGetValue(source, out var day);
            var lastLoad = loaded.GetValueOrDefault(source);
            if (!hasSpend && lastLoad is null)
            {
                continue;
            }
            var reported = (hasSpend && day.LastDay >= date) || (lastLoad is { } at && RussianFormat.MoscowDate(at) > date);
            platforms.Add(new PlatformSpend(source, reported ? (hasSpend ? day.Spend : 0m) : null));
        }
        return platforms;
    }

    private async Task<CityRoiPeriod> CityRoiAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync("""
            SELECT city, spend, revenue, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4) AS romi
            FROM
            (
                SELECT city, sum(spend) AS spend, sum(revenue) AS revenue
                FROM bi.v_marketing_roi_daily
                WHERE d BETWEEN {from:Date} AND {to:Date}
                GROUP BY city
            )
            WHERE spend != 0
            ORDER BY romi, city
            """, new QueryParameters().Add("from", from).Add("to", to), cancellationToken: cancellationToken);
        var cities = new List<CityRoi>();
        var withoutCity = 0m;
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var city = rows.Get<string>(i, "city");
            if (city is "" or "unknown")
            {
                withoutCity += rows.Get<decimal>(i, "spend");
                continue;
            }
            cities.Add(new CityRoi(city, rows.Get<decimal>(i, "spend"), rows.Get<decimal>(i, "revenue"), rows.Get<double>(i, "romi")));
        }
        return new CityRoiPeriod(from, to, cities, withoutCity);
    }

    /// <summary>The dashboard rule for inventory risk (dashboards.md): the projected sell-out falls after the last show, or nothing sells.</summary>
    private async Task<IReadOnlyList<EventAtRisk>> EventsAtRiskAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync("""
            SELECT event_id, event_name, city, toDate(start_date) AS first_day, toDate(coalesce(end_date, start_date)) AS last_day,
                   ifNull(capacity, 0) AS seats, ifNull(left, 0) AS seats_left, sell_through, tickets_7d, projected_sellout_date
            FROM bi.v_event_inventory
            WHERE start_date IS NOT NULL AND last_day >= {today:Date} AND seats_left > 0
              AND (tickets_7d = 0 OR projected_sellout_date > last_day)
            ORDER BY first_day, event_id
            """, new QueryParameters().Add("today", today), cancellationToken: cancellationToken);
        return Enumerable.Range(0, rows.Rows.Count).Select(i => new EventAtRisk(
            rows.Get<ulong>(i, "event_id"), rows.Get<string>(i, "event_name"), rows.Get<string>(i, "city"),
            rows.Get<DateOnly>(i, "first_day"), rows.Get<DateOnly>(i, "last_day"), rows.Get<ulong>(i, "seats"), rows.Get<ulong>(i, "seats_left"),
            rows.Get<double?>(i, "sell_through"), rows.Get<ulong>(i, "tickets_7d"), rows.Get<DateOnly?>(i, "projected_sellout_date"))).ToArray();
    }

    private async Task<PlanToDate?> PlanAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var first = new DateOnly(date.Year, date.Month, 1);
        var rows = await store.QueryAsync("""
            SELECT p.event_id AS event_id, e.event_name AS event_name, p.city AS city, p.plan_revenue_to_date AS plan_revenue_to_date,
                   p.fact_revenue_to_date AS fact_revenue_to_date, p.plan_tickets_to_date AS plan_tickets_to_date,
                   p.fact_tickets_to_date AS fact_tickets_to_date, p.month_plan_revenue AS month_plan_revenue, p.month_plan_tickets AS month_plan_tickets
            FROM
            (
                SELECT event_id, city,
                       sumIf(plan_revenue, d <= {day:Date}) AS plan_revenue_to_date, sumIf(fact_revenue, d <= {day:Date}) AS fact_revenue_to_date,
                       sumIf(plan_tickets, d <= {day:Date}) AS plan_tickets_to_date, sumIf(fact_tickets, d <= {day:Date}) AS fact_tickets_to_date,
                       sum(plan_revenue) AS month_plan_revenue, sum(plan_tickets) AS month_plan_tickets
                FROM bi.v_plan_vs_fact
                WHERE d BETWEEN {first:Date} AND {last:Date}
                GROUP BY event_id, city
                HAVING month_plan_revenue != 0 OR month_plan_tickets != 0
            ) AS p
            LEFT JOIN (SELECT event_id, event_name FROM bi.v_events) AS e ON e.event_id = p.event_id
            ORDER BY fact_revenue_to_date - plan_revenue_to_date, event_id, city
            """, new QueryParameters().Add("day", date).Add("first", first).Add("last", first.AddMonths(1).AddDays(-1)),
            cancellationToken: cancellationToken);
        if (rows.Rows.Count == 0)
        {
            return null;
        }
        var keys = Enumerable.Range(0, rows.Rows.Count).Select(i => (
            Lag: new PlanLag(rows.Get<ulong>(i, "event_id"), rows.Get<string>(i, "event_name"), rows.Get<string>(i, "city"),
                rows.Get<decimal>(i, "plan_revenue_to_date"), rows.Get<decimal>(i, "fact_revenue_to_date")),
            PlanTickets: rows.Get<ulong>(i, "plan_tickets_to_date"), FactTickets: rows.Get<ulong>(i, "fact_tickets_to_date"),
            MonthRevenue: rows.Get<decimal>(i, "month_plan_revenue"), MonthTickets: rows.Get<ulong>(i, "month_plan_tickets"))).ToArray();
        return new PlanToDate(first, date,
            keys.Sum(k => k.Lag.PlanRevenue), keys.Sum(k => k.Lag.FactRevenue),
            Total(keys.Select(k => k.PlanTickets)), Total(keys.Select(k => k.FactTickets)),
            keys.Sum(k => k.MonthRevenue), Total(keys.Select(k => k.MonthTickets)),
            keys.Select(k => k.Lag).Where(l => l.FactRevenue < l.PlanRevenue).ToArray());
    }

    private static ulong Total(IEnumerable<ulong> counts) => counts.Aggregate(0UL, (sum, count) => checked(sum + count));

    /// <summary>A source that never ran and holds no data is not connected, and says nothing about today's numbers.</summary>
    private static IReadOnlyList<SourceHealth> Health(QueryResult freshness) =>
        Enumerable.Range(0, freshness.Rows.Count)
            .Where(i => freshness.Get<bool>(i, "has_runs") || freshness.Get<DateTimeOffset?>(i, "last_data_ts") is not null)
            .Select(i => new SourceHealth(freshness.Get<string>(i, "source"), freshness.Get<string>(i, "status"),
                freshness.Get<DateTimeOffset?>(i, "last_loaded_at")))
            .ToArray();
}
