using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Sales overview page: KPI tiles, by day, top cities, top events, detail (bi.v_sales_daily).</summary>
internal static class SalesEndpoints
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);
    private static readonly ApiColumn Tickets = new("tickets", "Билеты", ColumnType.Int);
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Object(group, "/sales/kpis", async (filters, context) =>
        {
            // A range ending today holds a day in progress: the previous period's last day then counts only up to
            // the same Moscow time of day as now (dashboards.md, incomplete periods), to the minute of the sales' own times.
            var now = TimeZoneInfo.ConvertTime(api.Options.Time.GetUtcNow(), Moscow);
            var partialDay = filters.To == api.Today;
            var comparedUntil = MoscowTime(filters.PreviousTo.ToDateTime(TimeOnly.FromDateTime(now.DateTime)));
            var parameters = filters.Parameters().Add("until_minute", (ushort)(now.Hour * 60 + now.Minute));
            var lastDayHours = partialDay ? $$"""
                    AND d != {pto:Date}
                    UNION ALL
                    SELECT toUInt8(0), revenue, tickets_sold, orders
                    FROM bi.v_sales_by_minute
                    WHERE d = {pto:Date} AND sale_minute <= {until_minute:UInt16} AND {{DashboardFilters.CityAndEvent}}
                """ : "";
            var result = await api.Reader.QueryAsync($$"""
                SELECT
                    toDecimal128(sumIf(revenue, current), 2) AS current_revenue, toDecimal128(sumIf(revenue, NOT current), 2) AS previous_revenue,
                    sumIf(tickets, current) AS current_tickets, sumIf(tickets, NOT current) AS previous_tickets,
                    sumIf(orders, current) AS current_orders, sumIf(orders, NOT current) AS previous_orders
                FROM
                (
                    SELECT d >= {from:Date} AS current, revenue, tickets_sold AS tickets, orders
                    FROM bi.v_sales_daily
                    WHERE {{DashboardFilters.Where("d", from: "pfrom")}}
                {{lastDayHours}}
                )
                """, parameters, cancellationToken: context.RequestAborted);
            var (revenue, previousRevenue) = (result.Get<decimal>(0, "current_revenue"), result.Get<decimal>(0, "previous_revenue"));
            var (tickets, previousTickets) = (result.Get<decimal>(0, "current_tickets"), result.Get<decimal>(0, "previous_tickets"));
            var answer = KpiAnswer.For(filters,
                Kpi.Of("revenue", revenue, previousRevenue),
                Kpi.Of("tickets", tickets, previousTickets),
                Kpi.Of("orders", result.Get<decimal>(0, "current_orders"), result.Get<decimal>(0, "previous_orders")),
                Kpi.Of("avgTicketPrice", Kpi.Ratio(revenue, tickets, 2), Kpi.Ratio(previousRevenue, previousTickets, 2)));
            return new SalesKpiAnswer(answer.From, answer.To, answer.PreviousFrom, answer.PreviousTo, answer.Kpis,
                partialDay, partialDay ? comparedUntil : null);
        });

        // Today is a day in progress: "partial" marks it so the chart does not read it as a fall in sales.
        api.Table(group, "/sales/daily", new ApiTable("sales-daily", new("d", "Дата", ColumnType.Date), Orders, Tickets, Revenue,
                new("partial", "Неполный день", ColumnType.Bool)),
            (filters, _) =>
            {
                var days = SumsBy("d", "d WITH FILL FROM {from:Date} TO {to:Date} + 1", filters);
                return new($"SELECT d, orders, tickets, revenue, d = {{today:Date}} AS partial FROM ({days.Sql}) ORDER BY d", days.Parameters.Add("today", api.Today));
            });

        api.Table(group, "/sales/cities", new ApiTable("sales-cities", new("city", "Город", ColumnType.Text), Orders, Tickets, Revenue),
            (filters, _) => SumsBy("city", "revenue DESC, city", filters));

        api.Table(group, "/sales/events", new ApiTable("sales-events",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                Orders, Tickets, Revenue, new("eventDeleted", "Событие удалено", ColumnType.Bool)),
            // A deleted event keeps its past sales, but is said to be deleted rather than shown as live.
            (filters, _) => new($$"""
                SELECT event_id AS eventId, any(event_name) AS eventName, city,
                       sum(orders) AS orders, sum(tickets_sold) AS tickets, sum(revenue) AS revenue,
                       event_id IN (SELECT event_id FROM bi.v_events WHERE deleted = 1) AS eventDeleted
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

    private static DateTimeOffset MoscowTime(DateTime wall) => new(wall, Moscow.GetUtcOffset(wall));

    private static ApiQuery SumsBy(string column, string order, DashboardFilters filters) => new($$"""
        SELECT {{column}}, sum(orders) AS orders, sum(tickets_sold) AS tickets, sum(revenue) AS revenue
        FROM bi.v_sales_daily
        WHERE {{DashboardFilters.Where("d")}}
        GROUP BY {{column}}
        ORDER BY {{order}}
        """, filters.Parameters());
}

/// <summary>
/// The Sales KPI answer: <see cref="KpiAnswer"/>'s fields, and whether the range ends in today's day in progress
/// (<c>partialDay</c>), in which case the previous period's last day was counted up to <c>comparedUntil</c>
/// (a Moscow time, the same time of day as now).
/// </summary>
internal sealed record SalesKpiAnswer(
    DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, IReadOnlyList<Kpi> Kpis, bool PartialDay, DateTimeOffset? ComparedUntil);
