using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Plan vs fact page (bi.v_plan_vs_fact as stored, bi.v_plan_vs_fact_mart): per event and city, and the cumulative curve over the range.</summary>
internal static class PlanEndpoints
{
    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Table(group, "/plan/rows", new ApiTable("plan-rows",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                new("planTickets", "План, билеты", ColumnType.Int), new("factTickets", "Факт, билеты", ColumnType.Int),
                new("planRevenue", "План (₽)", ColumnType.Money), new("factRevenue", "Факт (₽)", ColumnType.Money),
                new("diff", "Разница (₽)", ColumnType.Money), new("diffPct", "Разница, %", ColumnType.Percent)),
            (filters, _) => new($$"""
                SELECT p.event_id AS eventId, e.event_name AS eventName, p.city AS city,
                       p.plan_tickets AS planTickets, p.fact_tickets AS factTickets, p.plan_revenue AS planRevenue, p.fact_revenue AS factRevenue,
                       p.fact_revenue - p.plan_revenue AS diff,
                       if(p.plan_revenue = 0, NULL, round((toFloat64(p.fact_revenue) - toFloat64(p.plan_revenue)) / toFloat64(p.plan_revenue), 4)) AS diffPct
                FROM
                (
                    SELECT event_id, city, sum(plan_tickets) AS plan_tickets, sum(fact_tickets) AS fact_tickets,
                           sum(plan_revenue) AS plan_revenue, sum(fact_revenue) AS fact_revenue
                    FROM bi.v_plan_vs_fact_mart
                    WHERE {{DashboardFilters.Where("d")}}
                    GROUP BY event_id, city
                ) AS p
                LEFT JOIN (SELECT event_id, event_name FROM bi.v_events) AS e ON e.event_id = p.event_id
                ORDER BY planRevenue DESC, factRevenue DESC, eventId, city
                """, filters.Parameters()));

        api.Table(group, "/plan/cumulative", new ApiTable("plan-cumulative",
                new("d", "Дата", ColumnType.Date),
                new("planRevenueCum", "План нарастающим итогом (₽)", ColumnType.Money), new("factRevenueCum", "Факт нарастающим итогом (₽)", ColumnType.Money),
                new("planTicketsCum", "План нарастающим итогом, билеты", ColumnType.Int), new("factTicketsCum", "Факт нарастающим итогом, билеты", ColumnType.Int)),
            (filters, _) => new($$"""
                SELECT d,
                       sum(plan_revenue) OVER (ORDER BY d) AS planRevenueCum, sum(fact_revenue) OVER (ORDER BY d) AS factRevenueCum,
                       sum(plan_tickets) OVER (ORDER BY d) AS planTicketsCum, sum(fact_tickets) OVER (ORDER BY d) AS factTicketsCum
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
                """, filters.Parameters()));
    }
}
