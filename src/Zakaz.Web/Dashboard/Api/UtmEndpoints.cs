using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The UTM page, from the stored bi.v_campaign_daily (orders by utm_source and utm_campaign, lower-cased and
/// trimmed; source '' is an order without UTM): the share of revenue and orders without UTM per day and per
/// source, and the campaigns that bring orders under a utm_source no loaded ad platform's ads carry
/// (bi.v_ad_utm_sources): their spend is unknown, not zero.
/// </summary>
internal static class UtmEndpoints
{
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);
    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Table(group, "/utm/daily", new ApiTable("utm-daily",
                new("d", "Дата", ColumnType.Date), Revenue, new("revenueWithoutUtm", "Выручка без UTM (₽)", ColumnType.Money),
                new("revenueWithoutUtmShare", "Доля выручки без UTM", ColumnType.Percent),
                Orders, new("ordersWithoutUtm", "Заказы без UTM", ColumnType.Int), new("ordersWithoutUtmShare", "Доля заказов без UTM", ColumnType.Percent)),
            (filters, _) => new($$"""
                SELECT d, revenue, revenue_without_utm, if(revenue = 0, NULL, round(toFloat64(revenue_without_utm) / toFloat64(revenue), 4)) AS revenue_share,
                       orders, orders_without_utm, if(orders = 0, NULL, round(orders_without_utm / orders, 4)) AS orders_share
                FROM
                (
                    SELECT d, sum(r) AS revenue, sumIf(r, source = '') AS revenue_without_utm,
                           sum(o) AS orders, sumIf(o, source = '') AS orders_without_utm
                    FROM
                    (
                        SELECT d, source, revenue AS r, orders AS o
                        FROM bi.v_campaign_daily_mart
                        WHERE {{DashboardFilters.Where("d")}} AND {{DashboardFilters.Campaign}}
                    )
                    GROUP BY d
                    ORDER BY d WITH FILL FROM {from:Date} TO {to:Date} + 1
                )
                ORDER BY d
                """, filters.Parameters()));

        // Per utm_source ('' is without UTM) its share of all revenue and orders, and the platform whose ads carry it.
        api.Table(group, "/utm/sources", new ApiTable("utm-sources",
                new("source", "Источник (utm_source)", ColumnType.Text), new("platform", "Площадка", ColumnType.Text),
                Revenue, new("revenueShare", "Доля выручки", ColumnType.Percent), Orders, new("ordersShare", "Доля заказов", ColumnType.Percent)),
            (filters, _) => new($$"""
                SELECT s.source AS source, nullIf(p.platform, '') AS platform, s.revenue AS revenue,
                       if(sum(s.revenue) OVER () = 0, NULL, round(toFloat64(s.revenue) / toFloat64(sum(s.revenue) OVER ()), 4)) AS revenue_share,
                       s.orders AS orders, if(sum(s.orders) OVER () = 0, NULL, round(s.orders / sum(s.orders) OVER (), 4)) AS orders_share
                FROM
                (
                    SELECT source, sum(revenue) AS revenue, sum(orders) AS orders
                    FROM bi.v_campaign_daily_mart
                    WHERE {{DashboardFilters.Where("d")}} AND {{DashboardFilters.Campaign}}
                    GROUP BY source
                    HAVING revenue != 0 OR orders != 0
                ) AS s
                LEFT JOIN (SELECT utm_source, source AS platform FROM bi.v_ad_utm_sources) AS p ON p.utm_source = s.source
                ORDER BY revenue DESC, source
                """, filters.Parameters()));

        api.Table(group, "/utm/unreported", new ApiTable("utm-unreported-campaigns",
                new("source", "Источник (utm_source)", ColumnType.Text), new("campaign", "Кампания (utm_campaign)", ColumnType.Text),
                Orders, Revenue, new("spend", "Расход (₽)", ColumnType.Money)),
            (filters, _) => new($$"""
                SELECT source, campaign, orders, revenue, CAST(NULL AS Nullable(Decimal(18, 2))) AS spend
                FROM
                (
                    SELECT source, campaign, sum(orders) AS orders, sum(revenue) AS revenue
                    FROM bi.v_campaign_daily_mart
                    WHERE {{DashboardFilters.Where("d")}} AND {{DashboardFilters.Campaign}}
                      AND source != '' AND source NOT IN (SELECT utm_source FROM bi.v_ad_utm_sources)
                    GROUP BY source, campaign
                    HAVING orders != 0
                )
                ORDER BY revenue DESC, source, campaign
                """, filters.Parameters()));
    }
}
