using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Sales overview page: KPI tiles, by day, top cities, top events, detail (bi.v_sales_daily).</summary>
internal static class SalesEndpoints
{
    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);
    private static readonly ApiColumn Tickets = new("tickets", "Билеты", ColumnType.Int);
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Object(group, "/sales/kpis", async (filters, context) =>
        {
            var result = await api.Reader.QueryAsync($$"""
                SELECT
                    toDecimal128(sumIf(revenue, d >= {from:Date}), 2) AS current_revenue, toDecimal128(sumIf(revenue, d < {from:Date}), 2) AS previous_revenue,
                    sumIf(tickets_sold, d >= {from:Date}) AS current_tickets, sumIf(tickets_sold, d < {from:Date}) AS previous_tickets,
                    sumIf(orders, d >= {from:Date}) AS current_orders, sumIf(orders, d < {from:Date}) AS previous_orders
                FROM bi.v_sales_daily
                WHERE {{DashboardFilters.Where("d", from: "pfrom")}}
                """, filters.Parameters(), cancellationToken: context.RequestAborted);
            var (revenue, previousRevenue) = (result.Get<decimal>(0, "current_revenue"), result.Get<decimal>(0, "previous_revenue"));
            var (tickets, previousTickets) = (result.Get<decimal>(0, "current_tickets"), result.Get<decimal>(0, "previous_tickets"));
            return KpiAnswer.For(filters,
                Kpi.Of("revenue", revenue, previousRevenue),
                Kpi.Of("tickets", tickets, previousTickets),
                Kpi.Of("orders", result.Get<decimal>(0, "current_orders"), result.Get<decimal>(0, "previous_orders")),
                Kpi.Of("avgTicketPrice", Kpi.Ratio(revenue, tickets, 2), Kpi.Ratio(previousRevenue, previousTickets, 2)));
        });

        api.Table(group, "/sales/daily", new ApiTable("sales-daily", new("d", "Дата", ColumnType.Date), Orders, Tickets, Revenue),
            (filters, _) => SumsBy("d", "d WITH FILL FROM {from:Date} TO {to:Date} + 1", filters));

        api.Table(group, "/sales/cities", new ApiTable("sales-cities", new("city", "Город", ColumnType.Text), Orders, Tickets, Revenue),
            (filters, _) => SumsBy("city", "revenue DESC, city", filters));

        api.Table(group, "/sales/events", new ApiTable("sales-events",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                Orders, Tickets, Revenue),
            (filters, _) => new($$"""
                SELECT event_id AS eventId, any(event_name) AS eventName, city,
                       sum(orders) AS orders, sum(tickets_sold) AS tickets, sum(revenue) AS revenue
                FROM bi.v_sales_daily
                WHERE {{DashboardFilters.Where("d")}}
                GROUP BY event_id, city
                ORDER BY revenue DESC, eventId
                """, filters.Parameters()));

        // The facts are one row per day, city and event already, so the detail needs no GROUP BY.
        api.Table(group, "/sales/detail", new ApiTable("sales-detail",
                new("d", "Дата", ColumnType.Date), new("city", "Город", ColumnType.Text),
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text),
                Orders, Tickets, Revenue)
        { Paged = true },
            (filters, _) => new($$"""
                SELECT d, city, event_id AS eventId, event_name AS eventName, orders, tickets_sold AS tickets, revenue, count() OVER () AS total
                FROM bi.v_sales_daily
                WHERE {{DashboardFilters.Where("d")}}
                ORDER BY d DESC, revenue DESC, eventId, city
                """, filters.Parameters()));
    }

    private static ApiQuery SumsBy(string column, string order, DashboardFilters filters) => new($$"""
        SELECT {{column}}, sum(orders) AS orders, sum(tickets_sold) AS tickets, sum(revenue) AS revenue
        FROM bi.v_sales_daily
        WHERE {{DashboardFilters.Where("d")}}
        GROUP BY {{column}}
        ORDER BY {{order}}
        """, filters.Parameters());
}
