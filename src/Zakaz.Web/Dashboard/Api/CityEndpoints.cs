using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The City performance page: per city, spend against revenue split into attributed revenue (orders whose
/// utm_source a loaded platform's ads carry) and the rest, ROMI and the traffic light on attributed revenue,
/// tickets for the scatter's sizes; and, for the drill-down into a city, its events. Read from the stored
/// bi.v_marketing_source_daily (<see cref="MarketingEndpoints.AttributionSums"/>), as the Marketing page.
/// </summary>
internal static class CityEndpoints
{
    private static readonly ApiColumn Spend = new("spend", "Расход (₽)", ColumnType.Money);
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);
    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);
    private static readonly ApiColumn Tickets = new("tickets", "Билеты", ColumnType.Int);

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Table(group, "/city/cities", new ApiTable("city-performance",
                // The light and ROMI first: on a phone they are what shows without scrolling sideways.
                new("city", "Город", ColumnType.Text), MarketingEndpoints.Light, MarketingEndpoints.AttributedRomi, MarketingEndpoints.AttributedRoas,
                Spend, MarketingEndpoints.AttributedRevenue, MarketingEndpoints.OtherRevenue, Revenue, Orders, Tickets),
            (filters, _) => new($$"""
                SELECT city, {{MarketingEndpoints.LightOf("attributed_roas")}} AS light, attributed_romi, attributed_roas,
                       spend, attributed_revenue, other_revenue, revenue, orders, tickets_sold
                FROM
                (
                    SELECT city, spend, revenue, attributed_revenue, other_revenue, orders, tickets_sold, {{MarketingEndpoints.AttributedRatios}}
                    FROM ({{MarketingEndpoints.AttributionSums("city")}})
                    WHERE spend != 0 OR revenue != 0 OR orders != 0
                )
                ORDER BY attributed_romi IS NULL, attributed_romi DESC, revenue DESC, city
                """, MarketingEndpoints.Parameters(api, filters)));

        // Spend no campaign mapping tied to an event stays visible as event 0, never dropped.
        api.Table(group, "/city/events", new ApiTable("city-events",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                Spend, Revenue, MarketingEndpoints.AttributedRevenue, MarketingEndpoints.OtherRevenue, Orders, Tickets,
                MarketingEndpoints.AttributedRoas, MarketingEndpoints.AttributedRomi, MarketingEndpoints.Light),
            (filters, _) => new($$"""
                SELECT s.event_id AS event_id, if(s.event_id = 0, 'Без привязки к событию', e.event_name) AS event_name, e.city AS city,
                       s.spend AS spend, s.revenue AS revenue, s.attributed_revenue AS attributed_revenue, s.other_revenue AS other_revenue,
                       s.orders AS orders, s.tickets_sold AS tickets_sold, s.attributed_roas AS attributed_roas, s.attributed_romi AS attributed_romi,
                       {{MarketingEndpoints.LightOf("s.attributed_roas")}} AS light
                FROM
                (
                    SELECT event_id, spend, revenue, attributed_revenue, other_revenue, orders, tickets_sold, {{MarketingEndpoints.AttributedRatios}}
                    FROM ({{MarketingEndpoints.AttributionSums("event_id")}})
                    WHERE spend != 0 OR revenue != 0 OR orders != 0
                ) AS s
                LEFT JOIN (SELECT event_id, event_name, city FROM bi.v_events) AS e ON e.event_id = s.event_id
                ORDER BY spend DESC, revenue DESC, event_id
                """, MarketingEndpoints.Parameters(api, filters)));
    }
}
