using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The Plan vs fact page (bi.v_plan_vs_fact as stored, bi.v_plan_vs_fact_mart): whether a plan is loaded at all, the
/// plan to date (up to today) beside the period's target (its whole plan), per event and city, and the cumulative
/// curve over the range, whose fact stops at today. A range may end in the future: a plan is made ahead.
/// </summary>
internal static class PlanEndpoints
{
    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Object(group, "/plan/summary", async (filters, context) =>
        {
            var result = await api.Reader.QueryAsync($$"""
                SELECT
                    (SELECT count() FROM (SELECT 1 FROM bi.v_plan_vs_fact_mart WHERE plan_tickets != 0 OR plan_revenue != 0 LIMIT 1)) > 0 AS plan_loaded,
                    toDecimal128(sum(m.plan_revenue), 2) AS plan_revenue, sum(m.plan_tickets) AS plan_tickets,
                    toDecimal128(sumIf(m.plan_revenue, d <= {today:Date}), 2) AS plan_revenue_to_date, sumIf(m.plan_tickets, d <= {today:Date}) AS plan_tickets_to_date,
                    toDecimal128(sum(m.fact_revenue), 2) AS fact_revenue, sum(m.fact_tickets) AS fact_tickets
                FROM bi.v_plan_vs_fact_mart AS m
                WHERE {{DashboardFilters.Where("d")}}
                """, filters.Parameters().Add("today", api.Today), cancellationToken: context.RequestAborted);
            return new PlanSummary(filters.From, filters.To, api.Today, result.Get<bool>(0, "plan_loaded"),
                result.Get<decimal>(0, "plan_revenue"), result.Get<ulong>(0, "plan_tickets"),
                result.Get<decimal>(0, "plan_revenue_to_date"), result.Get<ulong>(0, "plan_tickets_to_date"),
                result.Get<decimal>(0, "fact_revenue"), result.Get<ulong>(0, "fact_tickets"));
        });

        api.Table(group, "/plan/rows", new ApiTable("plan-rows",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                new("planTickets", "План, билеты", ColumnType.Int), new("factTickets", "Факт, билеты", ColumnType.Int),
                new("planRevenue", "План (₽)", ColumnType.Money), new("factRevenue", "Факт (₽)", ColumnType.Money),
                new("diff", "Разница (₽)", ColumnType.Money), new("diffPct", "Разница, %", ColumnType.Percent),
                new("planTicketsToDate", "План на сегодня, билеты", ColumnType.Int), new("planRevenueToDate", "План на сегодня (₽)", ColumnType.Money),
                new("diffToDate", "Разница с планом на сегодня (₽)", ColumnType.Money), new("diffToDatePct", "Разница с планом на сегодня, %", ColumnType.Percent),
                new("eventDeleted", "Событие удалено", ColumnType.Bool)),
            // planTickets and planRevenue are the period's target; the "to date" columns its plan up to today, which the fact can be held to.
            (filters, _) => new($$"""
                SELECT p.event_id AS eventId, e.event_name AS eventName, p.city AS city,
                       p.plan_tickets AS planTickets, p.fact_tickets AS factTickets, p.plan_revenue AS planRevenue, p.fact_revenue AS factRevenue,
                       p.fact_revenue - p.plan_revenue AS diff,
                       if(p.plan_revenue = 0, NULL, round((toFloat64(p.fact_revenue) - toFloat64(p.plan_revenue)) / toFloat64(p.plan_revenue), 4)) AS diffPct,
                       p.plan_tickets_to_date AS planTicketsToDate, p.plan_revenue_to_date AS planRevenueToDate,
                       p.fact_revenue - p.plan_revenue_to_date AS diffToDate,
                       if(p.plan_revenue_to_date = 0, NULL,
                          round((toFloat64(p.fact_revenue) - toFloat64(p.plan_revenue_to_date)) / toFloat64(p.plan_revenue_to_date), 4)) AS diffToDatePct,
                       e.deleted = 1 AS eventDeleted
                FROM
                (
                    SELECT event_id, city, sum(plan_tickets) AS plan_tickets, sum(fact_tickets) AS fact_tickets,
                           sum(plan_revenue) AS plan_revenue, sum(fact_revenue) AS fact_revenue,
                           sumIf(m.plan_tickets, d <= {today:Date}) AS plan_tickets_to_date, sumIf(m.plan_revenue, d <= {today:Date}) AS plan_revenue_to_date
                    FROM bi.v_plan_vs_fact_mart AS m
                    WHERE {{DashboardFilters.Where("d")}}
                    GROUP BY event_id, city
                ) AS p
                LEFT JOIN (SELECT event_id, event_name, deleted FROM bi.v_events) AS e ON e.event_id = p.event_id
                ORDER BY planRevenue DESC, factRevenue DESC, eventId, city
                """, filters.Parameters().Add("today", api.Today)));

        api.Table(group, "/plan/cumulative", new ApiTable("plan-cumulative",
                new("d", "Дата", ColumnType.Date),
                new("planRevenueCum", "План нарастающим итогом (₽)", ColumnType.Money), new("factRevenueCum", "Факт нарастающим итогом (₽)", ColumnType.Money),
                new("planTicketsCum", "План нарастающим итогом, билеты", ColumnType.Int), new("factTicketsCum", "Факт нарастающим итогом, билеты", ColumnType.Int)),
            (filters, _) => new($$"""
                SELECT d,
                       sum(plan_revenue) OVER (ORDER BY d) AS planRevenueCum,
                       if(d > {today:Date}, NULL, sum(fact_revenue) OVER (ORDER BY d)) AS factRevenueCum,
                       sum(plan_tickets) OVER (ORDER BY d) AS planTicketsCum,
                       if(d > {today:Date}, NULL, sum(fact_tickets) OVER (ORDER BY d)) AS factTicketsCum
                FROM
                (
                    SELECT d, sum(plan_revenue) AS plan_revenue, sum(fact_revenue) AS fact_revenue,
                           sum(plan_tickets) AS plan_tickets, sum(fact_tickets) AS fact_tickets
                    FROM bi.v_plan_vs_fact_mart
                    WHERE {{DashboardFilters.Where("d")}}
                    GROUP BY d
                    ORDER BY d WITH FILL FROM {from:Date} TO {to:Date} + 1
                )
                ORDER BY d
                """, filters.Parameters().Add("today", api.Today)));
    }
}

/// <summary>
/// The plan of a period: <c>planLoaded</c> false when no plan was ever imported (not merely none in this period);
/// <c>planRevenue</c>/<c>planTickets</c> the whole period's target, the <c>ToDate</c> pair its plan up to <c>today</c>,
/// and the fact (which cannot run past today).
/// </summary>
internal sealed record PlanSummary(
    DateOnly From, DateOnly To, DateOnly Today, bool PlanLoaded, decimal PlanRevenue, ulong PlanTickets,
    decimal PlanRevenueToDate, ulong PlanTicketsToDate, decimal FactRevenue, ulong FactTickets);
