using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The Marketing ROI page: spend against revenue of the sales of the same days, ROI by city with a
/// traffic light, ad platforms, and campaigns by UTM: bi.v_marketing_daily and bi.v_campaign_daily as
/// stored at the last fact rebuild (bi.v_*_mart). With a <c>source</c> (one ad platform) the figures are
/// that platform's spend and the sales attributed to it (bi.v_marketing_source_daily, stored too), and the campaigns
/// those whose utm_source its ads carry (bi.v_ad_utm_sources).
/// </summary>
internal static class MarketingEndpoints
{
    /// <summary>ROAS above this is green, from 1 up to it amber, below 1 red.</summary>
    public const double GreenRoas = 1.5;

    // Ratios from sums at the grain shown, as in the bi views: ROAS, ROMI (Float64, 4 places), CPO (roubles).
    private const string Ratios = """
        if(spend = 0, NULL, round(toFloat64(revenue) / toFloat64(spend), 4)) AS roas,
        if(spend = 0, NULL, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS romi,
        if(orders = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / orders, 2), 2)) AS cpo
        """;

    private static readonly ApiColumn Spend = new("spend", "Расход (₽)", ColumnType.Money);
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);
    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);
    private static readonly ApiColumn Roas = new("roas", "ROAS", ColumnType.Ratio);
    private static readonly ApiColumn Romi = new("romi", "ROMI", ColumnType.Percent);
    private static readonly ApiColumn Cpo = new("cpo", "CPO (₽)", ColumnType.Money);

    /// <summary>
    /// The rows of bi.v_marketing_daily the filters ask for: the stored mart for every platform, or the stored
    /// spend and attributed sales of one platform; either has the mart's columns.
    /// </summary>
    private static string MarketingRows(DashboardFilters filters) => filters.Source.Length == 0
        ? "bi.v_marketing_daily_mart"
        : """
          (
              SELECT d, city, event_id, revenue, orders, tickets_sold, spend, clicks, impressions
              FROM bi.v_marketing_source_daily_mart
              WHERE source = {source:String}
          )
          """;

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Object(group, "/marketing/kpis", async (filters, context) =>
        {
            var parameters = filters.Parameters();
            // One pass for the KPIs of both periods and the share of spend without a city: spend without
            // a city is out of every city's figures, so that share is measured over all cities.
            var totals = await api.Reader.QueryAsync($$"""
                SELECT
                    toDecimal128(sumIf(spend, d >= {from:Date} AND {{DashboardFilters.City}}), 2) AS current_spend,
                    toDecimal128(sumIf(spend, d < {from:Date} AND {{DashboardFilters.City}}), 2) AS previous_spend,
                    toDecimal128(sumIf(revenue, d >= {from:Date} AND {{DashboardFilters.City}}), 2) AS current_revenue,
                    toDecimal128(sumIf(revenue, d < {from:Date} AND {{DashboardFilters.City}}), 2) AS previous_revenue,
                    sumIf(orders, d >= {from:Date} AND {{DashboardFilters.City}}) AS current_orders,
                    sumIf(orders, d < {from:Date} AND {{DashboardFilters.City}}) AS previous_orders,
                    toDecimal128(sumIf(spend, d >= {from:Date}), 2) AS all_spend,
                    toDecimal128(sumIf(spend, d >= {from:Date} AND city IN ('unknown', '')), 2) AS spend_without_city
                FROM {{MarketingRows(filters)}}
                WHERE d BETWEEN {pfrom:Date} AND {to:Date} AND {{DashboardFilters.Event}}
                """, parameters, cancellationToken: context.RequestAborted);
            // The share of all revenue, whichever platform is chosen: orders without UTM belong to none.
            var utm = await api.Reader.QueryAsync($$"""
                SELECT toDecimal128(sum(revenue), 2) AS all_revenue, toDecimal128(sumIf(revenue, source = ''), 2) AS revenue_without_utm
                FROM bi.v_campaign_daily_mart
                WHERE {{DashboardFilters.Where("d")}}
                """, parameters, cancellationToken: context.RequestAborted);

            var (spend, previousSpend) = (totals.Get<decimal>(0, "current_spend"), totals.Get<decimal>(0, "previous_spend"));
            var (revenue, previousRevenue) = (totals.Get<decimal>(0, "current_revenue"), totals.Get<decimal>(0, "previous_revenue"));
            var (orders, previousOrders) = (totals.Get<decimal>(0, "current_orders"), totals.Get<decimal>(0, "previous_orders"));
            var spendWithoutCity = totals.Get<decimal>(0, "spend_without_city");
            return new
            {
                filters.From,
                filters.To,
                filters.PreviousFrom,
                filters.PreviousTo,
                Kpis = new[]
                {
                    Kpi.Of("spend", spend, previousSpend),
                    Kpi.Of("revenue", revenue, previousRevenue),
                    Kpi.Of("roas", Kpi.Ratio(revenue, spend, 4), Kpi.Ratio(previousRevenue, previousSpend, 4)),
                    Kpi.Of("romi", Kpi.Ratio(revenue - spend, spend, 4), Kpi.Ratio(previousRevenue - previousSpend, previousSpend, 4)),
                    Kpi.Of("cpo", Kpi.Ratio(spend, orders, 2), Kpi.Ratio(previousSpend, previousOrders, 2)),
                },
                RevenueWithoutUtmShare = Kpi.Ratio(utm.Get<decimal>(0, "revenue_without_utm"), utm.Get<decimal>(0, "all_revenue"), 4),
                SpendWithoutCity = spendWithoutCity,
                SpendWithoutCityShare = Kpi.Ratio(spendWithoutCity, totals.Get<decimal>(0, "all_spend"), 4),
            };
        });

        api.Table(group, "/marketing/daily", new ApiTable("marketing-daily", new("d", "Дата", ColumnType.Date), Spend, Revenue),
            (filters, _) => new($$"""
                SELECT d, sum(spend) AS spend, sum(revenue) AS revenue
                FROM {{MarketingRows(filters)}}
                WHERE {{DashboardFilters.Where("d")}}
                GROUP BY d
                ORDER BY d WITH FILL FROM {from:Date} TO {to:Date} + 1
                """, filters.Parameters()));

        api.Table(group, "/marketing/cities", new ApiTable("marketing-cities",
                new("city", "Город", ColumnType.Text), Spend, Revenue, Orders, Roas, Romi, Cpo, new("light", "Светофор", ColumnType.Text)),
            (filters, _) => new($$"""
                SELECT city, spend, revenue, orders, {{Ratios}},
                       multiIf(spend = 0, NULL, roas > {{GreenRoas.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, 'green', roas >= 1, 'amber', 'red') AS light
                FROM
                (
                    SELECT city, sum(spend) AS spend, sum(revenue) AS revenue, sum(orders) AS orders
                    FROM {{MarketingRows(filters)}}
                    WHERE {{DashboardFilters.Where("d")}}
                    GROUP BY city
                )
                ORDER BY spend DESC, revenue DESC, city
                """, filters.Parameters()));

        // Per ad platform, and the revenue none claims (organic, untagged, a source no platform reports,
        // as source ''): its spend is unknown, not zero, so it and the ratios are null there.
        api.Table(group, "/marketing/sources", new ApiTable("marketing-sources",
                new("source", "Площадка", ColumnType.Text), Spend, Revenue, Orders, Roas, Romi, Cpo),
            (filters, _) => new($$"""
                SELECT source, if(source = '', NULL, spend) AS spend, revenue, orders,
                       if(source = '', NULL, roas) AS roas, if(source = '', NULL, romi) AS romi, if(source = '', NULL, cpo) AS cpo
                FROM
                (
                    SELECT source, spend, revenue, orders, {{Ratios}}
                    FROM
                    (
                        SELECT source, sum(spend) AS spend, sum(revenue) AS revenue, sum(orders) AS orders
                        FROM bi.v_marketing_source_daily_mart
                        WHERE {{DashboardFilters.Where("d")}} AND {{DashboardFilters.Platform}}
                        GROUP BY source
                    )
                )
                ORDER BY source = '', spend DESC, revenue DESC, source
                """, filters.Parameters()));

        // A campaign's platform is the one whose ads carry its utm_source. Where none does, ROAS, ROMI and
        // CPO are unknown, not 0: no spend is loaded for telegram or a newsletter, and the untagged row's
        // spend (ads without UTM) is not what brought its orders.
        api.Table(group, "/marketing/campaigns", new ApiTable("marketing-campaigns",
                new("platform", "Площадка", ColumnType.Text),
                new("source", "Источник", ColumnType.Text), new("campaign", "Кампания", ColumnType.Text), Spend,
                new("clicks", "Клики", ColumnType.Int), Orders, Revenue, Roas, Romi, Cpo),
            (filters, _) => new($$"""
                SELECT platform, source, campaign, spend, clicks, orders, revenue,
                       if(platform IS NULL, NULL, roas) AS roas, if(platform IS NULL, NULL, romi) AS romi, if(platform IS NULL, NULL, cpo) AS cpo
                FROM
                (
                    SELECT platform, source, campaign, spend, clicks, orders, revenue, {{Ratios}}
                    FROM
                    (
                        SELECT c.source AS source, c.campaign AS campaign, nullIf(p.platform, '') AS platform,
                               c.spend AS spend, c.clicks AS clicks, c.orders AS orders, c.revenue AS revenue
                        FROM
                        (
                            SELECT source, campaign, sum(spend) AS spend, sum(clicks) AS clicks, sum(orders) AS orders, sum(revenue) AS revenue
                            FROM bi.v_campaign_daily_mart
                            WHERE {{DashboardFilters.Where("d")}}
                            GROUP BY source, campaign
                        ) AS c
                        LEFT JOIN (SELECT utm_source, source AS platform FROM bi.v_ad_utm_sources) AS p ON p.utm_source = c.source
                    )
                    WHERE {source:String} = '' OR platform = {source:String}
                )
                ORDER BY spend DESC, revenue DESC, source, campaign
                """, filters.Parameters()));
    }
}
