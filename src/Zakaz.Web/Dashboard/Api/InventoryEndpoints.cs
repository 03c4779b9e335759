using Microsoft.AspNetCore.Routing;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Events &amp; inventory page: upcoming events with their stock (bi.v_event_inventory) and one event's sales curve.</summary>
internal static class InventoryEndpoints
{
    /// <summary>Velocity is the tickets of the last <see cref="VelocityDays"/> days (data-model.md section 4).</summary>
    public const int VelocityDays = 7;

    public const string NoSales = "нет продаж за 7 дней";

    public const string SellsOutAfterShow = "распродажа позже последнего показа";

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        // At risk (dashboards.md): tickets are left and the projected sell-out falls after the last show, or
        // nothing sold in the last 7 days. Velocity and the projection count from today in Moscow (the
        // view's are the engine's today), so they agree with the page's calendar. Deleted events never show
        // (bi.v_event_inventory leaves them out); those at risk come first, then the soonest.
        api.Table(group, "/inventory/events", new ApiTable("inventory-events",
                new("eventId", "ID события", ColumnType.Int), new("eventName", "Событие", ColumnType.Text), new("city", "Город", ColumnType.Text),
                new("startDate", "Начало", ColumnType.Date), new("endDate", "Окончание", ColumnType.Date),
                new("capacity", "Вместимость", ColumnType.Int), new("sold", "Продано", ColumnType.Int), new("left", "Осталось", ColumnType.Int),
                new("sellThrough", "Заполняемость", ColumnType.Percent), new("tickets7d", "Билеты за 7 дней", ColumnType.Int),
                new("projectedSelloutDate", "Прогноз распродажи", ColumnType.Date), new("atRisk", "Под угрозой", ColumnType.Bool),
                new("daysUntilShow", "Дней до показа", ColumnType.Int), new("riskReason", "Почему под угрозой", ColumnType.Text)),
            (filters, _) => new($$"""
                SELECT eventId, eventName, city, startDate, endDate, capacity, sold, left, sellThrough, tickets7d, projectedSelloutDate,
                       ifNull(left, 0) > 0 AND (tickets7d = 0 OR ifNull(projectedSelloutDate > lastDay, false)) AS atRisk,
                       greatest(dateDiff('day', {today:Date}, startDate), 0) AS daysUntilShow,
                       multiIf(NOT atRisk, '', tickets7d = 0, '{{NoSales}}', '{{SellsOutAfterShow}}') AS riskReason
                FROM
                (
                    SELECT i.event_id AS eventId, i.event_name AS eventName, i.city AS city,
                           toDate(i.start_date) AS startDate, toDate(i.end_date) AS endDate, toDate(coalesce(i.end_date, i.start_date)) AS lastDay,
                           i.capacity AS capacity, i.sold AS sold, i.left AS left, i.sell_through AS sellThrough, ifNull(s.tickets, 0) AS tickets7d,
                           if(tickets7d = 0 OR left IS NULL, NULL,
                              {today:Date} + toIntervalDay(toUInt32(ceil(left / (tickets7d / {{VelocityDays}}))))) AS projectedSelloutDate
                    FROM
                    (
                        SELECT * FROM bi.v_event_inventory
                        WHERE toDate(coalesce(end_date, start_date)) >= {today:Date} AND {{DashboardFilters.CityAndEvent}}
                    ) AS i
                    LEFT JOIN
                    (
                        SELECT event_id, toNullable(sum(tickets_sold)) AS tickets
                        FROM bi.v_sales_daily
                        WHERE d > {today:Date} - {{VelocityDays}} AND d <= {today:Date}
                        GROUP BY event_id
                    ) AS s ON s.event_id = i.event_id
                )
                ORDER BY atRisk DESC, startDate, eventId
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
