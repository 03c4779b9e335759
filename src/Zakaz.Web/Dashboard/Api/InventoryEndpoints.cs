using Microsoft.AspNetCore.Routing;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Events &amp; inventory page: upcoming events with their stock (bi.v_event_inventory) and one event's sales curve.</summary>
internal static class InventoryEndpoints
{
    /// <summary>An event this close that has sold less than <see cref="RiskSellThrough"/> is highlighted.</summary>
    public const int RiskDays = 14;

    public const double RiskSellThrough = 0.5;

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Table(group, "/inventory/events", new ApiTable("inventory-events",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                new("startDate", "Начало", ColumnType.Date), new("endDate", "Окончание", ColumnType.Date),
                new("capacity", "Вместимость", ColumnType.Int), new("sold", "Продано", ColumnType.Int), new("left", "Осталось", ColumnType.Int),
                new("sellThrough", "Заполняемость", ColumnType.Percent), new("tickets7d", "Билеты за 7 дней", ColumnType.Int),
                new("projectedSelloutDate", "Прогноз распродажи", ColumnType.Date), new("atRisk", "Под угрозой", ColumnType.Bool)),
            (filters, _) => new($$"""
                SELECT event_id AS eventId, event_name AS eventName, city,
                       toDate(start_date) AS startDate, toDate(end_date) AS endDate,
                       capacity, sold, left, sell_through AS sellThrough, tickets_7d AS tickets7d,
                       projected_sellout_date AS projectedSelloutDate,
                       toDate(start_date) <= {today:Date} + {{RiskDays}} AND ifNull(sell_through, 0) < {{RiskSellThrough.ToString(CultureInfo.InvariantCulture)}} AS atRisk
                FROM bi.v_event_inventory
                WHERE toDate(coalesce(end_date, start_date)) >= {today:Date} AND {{DashboardFilters.CityAndEvent}}
                ORDER BY start_date, eventId
                """, filters.Parameters().Add("today", api.Today)));

        // The whole sales history of the event: the curve shows how it got where it is, whatever the date filter.
        api.Table(group, "/inventory/events/{id}/daily", new ApiTable("event-daily",
                new("d", "Дата", ColumnType.Date), new("tickets", "Билеты", ColumnType.Int), new("revenue", "Выручка (₽)", ColumnType.Money)),
            (_, context) => new("""
                SELECT d, sum(tickets_sold) AS tickets, sum(revenue) AS revenue
                FROM bi.v_sales_daily
                WHERE event_id = {id:UInt64}
                GROUP BY d
                ORDER BY d
                """, new QueryParameters().Add("id", EventId(context.Request.RouteValues["id"] as string))));
    }

    private static ulong EventId(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadRequestException($"The event id must be a whole number, not '{text}'.");
}
