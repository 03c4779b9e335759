-- Event ROI: sales of each event against the spend the campaign mapping assigned to it, per day
-- (sale date against spend date, as in bi.v_marketing_roi_daily). Spend no rule tied to an event
-- stays visible under event_id 0. Same rules as 0007: FINAL, UNION ALL + GROUP BY, ratios from
-- sums, NULL when the denominator is 0.
CREATE OR REPLACE VIEW bi.v_marketing_roi_by_event SQL SECURITY DEFINER AS
SELECT
    r.d AS d,
    r.event_id AS event_id,
    e.event_name AS event_name,
    e.city AS city,
    r.revenue AS revenue,
    r.orders AS orders,
    r.tickets_sold AS tickets_sold,
    r.spend AS spend,
    r.clicks AS clicks,
    r.impressions AS impressions,
    if(r.spend = 0, NULL, round(toFloat64(r.revenue) / toFloat64(r.spend), 4)) AS roas,
    if(r.spend = 0, NULL, round((toFloat64(r.revenue) - toFloat64(r.spend)) / toFloat64(r.spend), 4)) AS romi,
    if(r.orders = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.orders, 2), 2)) AS cpo,
    if(r.tickets_sold = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.tickets_sold, 2), 2)) AS cpt,
    if(r.clicks = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.clicks, 2), 2)) AS cpc
FROM
(
    SELECT
        d,
        event_id,
        sum(sales_revenue) AS revenue,
        sum(sales_orders) AS orders,
        sum(sales_tickets) AS tickets_sold,
        sum(ad_spend) AS spend,
        sum(ad_clicks) AS clicks,
        sum(ad_impressions) AS impressions
    FROM
    (
        SELECT
            sales_date AS d, event_id,
            revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
            toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
        FROM zakaz.fact_qtickets_sales_daily FINAL
        UNION ALL
        SELECT
            stat_date AS d, event_id,
            toDecimal64(0, 2), toUInt64(0), toUInt64(0),
            spend, clicks, impressions
        FROM zakaz.dm_vk_ads_daily FINAL
    )
    GROUP BY d, event_id
) AS r
LEFT JOIN (SELECT event_id, event_name, city FROM zakaz.dim_events FINAL) AS e ON e.event_id = r.event_id
WHERE r.revenue != 0 OR r.orders != 0 OR r.spend != 0 OR r.clicks != 0 OR r.impressions != 0;
