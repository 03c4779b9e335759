using Microsoft.AspNetCore.Routing;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The Marketing ROI page: spend against revenue of the sales of the same days, ROI by city with a
/// traffic light, ad platforms, and campaigns by UTM: bi.v_marketing_daily and bi.v_campaign_daily as
/// stored at the last fact rebuild (bi.v_*_mart). With a <c>source</c> (one ad platform) the figures are
/// that platform's spend and the sales attributed to it (bi.v_marketing_source_daily, stored too), and the campaigns
/// those whose utm_source its ads carry (bi.v_ad_utm_sources).
/// Attribution (dashboards spec): revenue of orders whose utm_source a loaded platform's ads carry is
/// attributed; the rest (untagged, organic, telegram, newsletters) is other revenue. The traffic lights
/// judge attributed revenue against spend, since spend never brought the other revenue.
/// </summary>
internal static class MarketingEndpoints
{
    // Ratios from sums at the grain shown, as in the bi views: ROAS, ROMI (Float64, 4 places), CPO (roubles).
    private const string Ratios = """
        if(spend = 0, NULL, round(toFloat64(revenue) / toFloat64(spend), 4)) AS roas,
        if(spend = 0, NULL, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS romi,
        if(orders = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / orders, 2), 2)) AS cpo
        """;

    /// <summary>ROAS and ROMI of attributed revenue; null without spend.</summary>
    internal const string AttributedRatios = """
        if(spend = 0, NULL, round(toFloat64(attributed_revenue) / toFloat64(spend), 4)) AS attributed_roas,
        if(spend = 0, NULL, round((toFloat64(attributed_revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS attributed_romi
        """;

    /// <summary>
    /// Each ad platform that has reported any day, and the last day it reported (bi.v_ad_reported_days):
    /// platforms report up to yesterday, so later days of their spend are not yet loaded, not zero.
    /// Narrowed to the chosen platform.
    /// </summary>
    private const string Reported = """
        (
            SELECT groupArray(source) AS platforms, groupArray(last_reported_day) AS reported
            FROM bi.v_ad_reported_days
            WHERE {source:String} = '' OR source = {source:String}
        )
        """;

    private static readonly ApiColumn Spend = new("spend", "Расход (₽)", ColumnType.Money);
    private static readonly ApiColumn Revenue = new("revenue", "Выручка (₽)", ColumnType.Money);
    private static readonly ApiColumn Orders = new("orders", "Заказы", ColumnType.Int);
    private static readonly ApiColumn Roas = new("roas", "ROAS", ColumnType.Ratio);
    private static readonly ApiColumn Romi = new("romi", "ROMI", ColumnType.Percent);
    private static readonly ApiColumn Cpo = new("cpo", "CPO (₽)", ColumnType.Money);
    internal static readonly ApiColumn AttributedRevenue = new("attributedRevenue", "Выручка с рекламы (₽)", ColumnType.Money);
    internal static readonly ApiColumn OtherRevenue = new("otherRevenue", "Прочая выручка (₽)", ColumnType.Money);
    internal static readonly ApiColumn AttributedRoas = new("attributedRoas", "ROAS по атрибутированной выручке", ColumnType.Ratio);
    internal static readonly ApiColumn AttributedRomi = new("attributedRomi", "ROMI по атрибутированной выручке", ColumnType.Percent);
    internal static readonly ApiColumn Light = new("light", "Светофор", ColumnType.Text);

    /// <summary>green, amber or red for a ROAS expression by the configured thresholds; null when it is null (no spend).</summary>
    internal static string LightOf(string roas) =>
        $"multiIf({roas} IS NULL, NULL, {roas} > {{roas_green:Float64}}, 'green', {roas} >= {{roas_amber:Float64}}, 'amber', 'red')";

    /// <summary>The filters' values with the light thresholds.</summary>
    internal static QueryParameters Parameters(DashboardApi api, DashboardFilters filters) => filters.Parameters()
        .Add("roas_green", api.Options.RoasGreen).Add("roas_amber", api.Options.RoasAmber);

    /// <summary>
    /// Spend, revenue, attributed revenue and the rest, orders and tickets per <paramref name="key"/> from the stored
    /// bi.v_marketing_source_daily (its <c>source</c> is the platform a row's spend or sales belong to, '' for sales
    /// no platform claims). With a platform chosen, spend and revenue are that platform's, as on the rest of the page,
    /// and other revenue is every sale it does not claim.
    /// </summary>
    internal static string AttributionSums(string key, string from = "from") => $$"""
        SELECT {{key}},
               sumIf(s, {{DashboardFilters.Platform}}) AS spend,
               sumIf(r, {{DashboardFilters.Platform}}) AS revenue,
               sumIf(r, source != '' AND {{DashboardFilters.Platform}}) AS attributed_revenue,
               sum(r) - attributed_revenue AS other_revenue,
               sumIf(o, {{DashboardFilters.Platform}}) AS orders,
               sumIf(t, {{DashboardFilters.Platform}}) AS tickets_sold
        FROM
        (
            SELECT d, city, event_id, source, spend AS s, revenue AS r, orders AS o, tickets_sold AS t
            FROM bi.v_marketing_source_daily_mart
            WHERE {{DashboardFilters.Where("d", from)}}
        )
        GROUP BY {{key}}
        """;

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
            var parameters = Parameters(api, filters);
            // One pass for the KPIs of both periods and the share of spend without a city: spend without
            // a city is out of every city's figures, so that share is measured over all cities. Spend no
            // rule tied to an event is out of every event's figures: with an event filter it is flagged.
            // The four reads are independent: asked at once, the tiles wait for the slowest, not the sum.
            var totalsRead = api.Reader.QueryAsync($$"""
                SELECT
                    toDecimal128(sumIf(spend, d >= {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}), 2) AS current_spend,
                    toDecimal128(sumIf(spend, d < {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}), 2) AS previous_spend,
                    toDecimal128(sumIf(revenue, d >= {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}), 2) AS current_revenue,
                    toDecimal128(sumIf(revenue, d < {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}), 2) AS previous_revenue,
                    sumIf(orders, d >= {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}) AS current_orders,
                    sumIf(orders, d < {from:Date} AND {{DashboardFilters.City}} AND {{DashboardFilters.Event}}) AS previous_orders,
                    toDecimal128(sumIf(spend, d >= {from:Date} AND {{DashboardFilters.Event}}), 2) AS all_spend,
                    toDecimal128(sumIf(spend, d >= {from:Date} AND {{DashboardFilters.Event}} AND city IN ('unknown', '')), 2) AS spend_without_city,
                    toDecimal128(sumIf(spend, d >= {from:Date} AND {{DashboardFilters.City}} AND event_id = 0), 2) AS spend_without_event
                FROM {{MarketingRows(filters)}}
                WHERE d BETWEEN {pfrom:Date} AND {to:Date}
                """, parameters, cancellationToken: context.RequestAborted);
            // The share of all revenue, whichever platform is chosen: orders without UTM belong to none.
            var utmRead = api.Reader.QueryAsync($$"""
                SELECT toDecimal128(sum(revenue), 2) AS all_revenue, toDecimal128(sumIf(revenue, source = ''), 2) AS revenue_without_utm
                FROM bi.v_campaign_daily_mart
                WHERE {{DashboardFilters.Where("d")}}
                """, parameters, cancellationToken: context.RequestAborted);
            var attributionRead = api.Reader.QueryAsync($$"""
                SELECT toDecimal128(sumIf(attributed_revenue, d >= {from:Date}), 2) AS current_attributed,
                       toDecimal128(sumIf(attributed_revenue, d < {from:Date}), 2) AS previous_attributed,
                       toDecimal128(sumIf(other_revenue, d >= {from:Date}), 2) AS current_other
                FROM ({{AttributionSums("d", from: "pfrom")}})
                """, parameters, cancellationToken: context.RequestAborted);
            var reportedRead = ReportedDaysAsync(api, parameters, context.RequestAborted);
            await Task.WhenAll(totalsRead, utmRead, attributionRead, reportedRead);
            var (totals, utm, attribution, reported) = (await totalsRead, await utmRead, await attributionRead, await reportedRead);

            var (spend, previousSpend) = (totals.Get<decimal>(0, "current_spend"), totals.Get<decimal>(0, "previous_spend"));
            var (revenue, previousRevenue) = (totals.Get<decimal>(0, "current_revenue"), totals.Get<decimal>(0, "previous_revenue"));
            var (orders, previousOrders) = (totals.Get<decimal>(0, "current_orders"), totals.Get<decimal>(0, "previous_orders"));
            var (attributed, previousAttributed) = (attribution.Get<decimal>(0, "current_attributed"), attribution.Get<decimal>(0, "previous_attributed"));
            var spendWithoutCity = totals.Get<decimal>(0, "spend_without_city");
            var notLoaded = reported
                .Where(r => r.Value < filters.To)
                .Select(r => new SpendNotLoaded(r.Key, Max(r.Value.AddDays(1), filters.From), filters.To))
                .ToArray();
            // No platform has reported a day of the range: spend is unknown, so are the ratios built on it.
            var spendStatus = reported.Count > 0 && notLoaded.Length == reported.Count && notLoaded.All(n => n.From == filters.From) ? "not_loaded"
                : notLoaded.Length > 0 ? "partial" : "complete";
            var known = spendStatus != "not_loaded";
            return new
            {
                filters.From,
                filters.To,
                filters.PreviousFrom,
                filters.PreviousTo,
                Kpis = new[]
                {
                    Kpi.Of("spend", known ? spend : null, previousSpend),
                    Kpi.Of("revenue", revenue, previousRevenue),
                    Kpi.Of("roas", known ? Kpi.Ratio(revenue, spend, 4) : null, Kpi.Ratio(previousRevenue, previousSpend, 4)),
                    Kpi.Of("romi", known ? Kpi.Ratio(revenue - spend, spend, 4) : null, Kpi.Ratio(previousRevenue - previousSpend, previousSpend, 4)),
                    Kpi.Of("cpo", known ? Kpi.Ratio(spend, orders, 2) : null, Kpi.Ratio(previousSpend, previousOrders, 2)),
                },
                // Revenue of the orders the platforms' ads brought, and ROAS on it: what the traffic lights judge.
                AttributionKpis = new[]
                {
                    Kpi.Of("attributedRevenue", attributed, previousAttributed),
                    Kpi.Of("attributedRoas", known ? Kpi.Ratio(attributed, spend, 4) : null, Kpi.Ratio(previousAttributed, previousSpend, 4)),
                },
                RevenueWithoutUtmShare = Kpi.Ratio(utm.Get<decimal>(0, "revenue_without_utm"), utm.Get<decimal>(0, "all_revenue"), 4),
                SpendWithoutCity = spendWithoutCity,
                SpendWithoutCityShare = Kpi.Ratio(spendWithoutCity, totals.Get<decimal>(0, "all_spend"), 4),
                OtherRevenue = attribution.Get<decimal>(0, "current_other"),
                // Spend no campaign mapping tied to an event, in the chosen cities: out of any event's figures.
                SpendWithoutEvent = totals.Get<decimal>(0, "spend_without_event"),
                // The range ends today: today is not over, so the comparison is of a partial day.
                PartialDay = filters.To >= api.Today,
                SpendStatus = spendStatus,
                SpendNotLoaded = notLoaded,
                ReportedUntil = reported,
                RoasGreen = api.Options.RoasGreen,
                RoasAmber = api.Options.RoasAmber,
            };
        });

        api.Table(group, "/marketing/daily", new ApiTable("marketing-daily", new("d", "Дата", ColumnType.Date), Spend, Revenue,
                AttributedRevenue, new("notLoaded", "Расход ещё не загружен", ColumnType.Text)),
            (filters, _) => new($$"""
                SELECT m.d AS d,
                       -- Every platform that reports spend has not reported this day yet: its spend is unknown, not 0.
                       if(notEmpty(r.platforms) AND length(arrayFilter(day -> day < m.d, r.reported)) = length(r.platforms), NULL, m.spend) AS spend,
                       m.revenue AS revenue, m.attributed_revenue AS attributed_revenue,
                       arrayStringConcat(arrayFilter((platform, day) -> day < m.d, r.platforms, r.reported), ',') AS not_loaded
                FROM
                (
                    SELECT d, spend, revenue, attributed_revenue
                    FROM ({{AttributionSums("d")}})
                    ORDER BY d WITH FILL FROM {from:Date} TO {to:Date} + 1
                ) AS m
                CROSS JOIN {{Reported}} AS r
                ORDER BY d
                """, Parameters(api, filters)));

        api.Table(group, "/marketing/cities", new ApiTable("marketing-cities",
                new("city", "Город", ColumnType.Text), Spend, Revenue, Orders, Roas, Romi, Cpo, Light,
                AttributedRevenue, OtherRevenue, AttributedRoas, AttributedRomi),
            (filters, _) => new($$"""
                SELECT city, spend, revenue, orders, roas, romi, cpo, {{LightOf("attributed_roas")}} AS light,
                       attributed_revenue, other_revenue, attributed_roas, attributed_romi
                FROM
                (
                    SELECT city, spend, revenue, orders, attributed_revenue, other_revenue, {{Ratios}}, {{AttributedRatios}}
                    FROM ({{AttributionSums("city")}})
                    WHERE spend != 0 OR revenue != 0 OR orders != 0
                )
                ORDER BY spend DESC, revenue DESC, city
                """, Parameters(api, filters)));

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
        // CPO are unknown, not 0: no spend is loaded for telegram or a newsletter. A tagged campaign's orders
        // are the ones its ads brought, so its ROAS is on attributed revenue and gets a light. Untagged spend
        // (ads without UTM) and untagged revenue (orders without UTM) did not cause each other: two lines
        // (kind untagged_spend, untagged_revenue), neither with a ratio.
        api.Table(group, "/marketing/campaigns", new ApiTable("marketing-campaigns",
                new("platform", "Площадка", ColumnType.Text),
                new("source", "Источник", ColumnType.Text), new("campaign", "Кампания", ColumnType.Text), Spend,
                new("clicks", "Клики", ColumnType.Int), Orders, Revenue, Roas, Romi, Cpo, Light, new("kind", "Строка", ColumnType.Text)),
            (filters, _) => new($$"""
                SELECT platform, source, campaign,
                       if(kind = 'untagged_revenue', NULL, spend) AS spend, if(kind = 'untagged_revenue', NULL, clicks) AS clicks,
                       if(kind = 'untagged_spend', NULL, orders) AS orders, if(kind = 'untagged_spend', NULL, revenue) AS revenue,
                       if(platform IS NULL, NULL, roas) AS roas, if(platform IS NULL, NULL, romi) AS romi, if(platform IS NULL, NULL, cpo) AS cpo,
                       if(platform IS NULL, NULL, {{LightOf("roas")}}) AS light, kind
                FROM
                (
                    SELECT platform, source, campaign, spend, clicks, orders, revenue, {{Ratios}}, kind
                    FROM
                    (
                        SELECT c.source AS source, c.campaign AS campaign, nullIf(p.platform, '') AS platform,
                               c.spend AS spend, c.clicks AS clicks, c.orders AS orders, c.revenue AS revenue
                        FROM
                        (
                            SELECT source, if(source = '', '', campaign) AS campaign,
                                   sum(spend) AS spend, sum(clicks) AS clicks, sum(orders) AS orders, sum(revenue) AS revenue
                            FROM bi.v_campaign_daily_mart
                            WHERE {{DashboardFilters.Where("d")}} AND {{DashboardFilters.Campaign}}
                            GROUP BY source, campaign
                        ) AS c
                        LEFT JOIN (SELECT utm_source, source AS platform FROM bi.v_ad_utm_sources) AS p ON p.utm_source = c.source
                    )
                    ARRAY JOIN if(source = '', ['untagged_spend', 'untagged_revenue'], ['campaign']) AS kind
                    WHERE ({source:String} = '' OR platform = {source:String})
                      AND (kind = 'campaign' OR kind = 'untagged_spend' AND spend != 0 OR kind = 'untagged_revenue' AND (revenue != 0 OR orders != 0))
                )
                ORDER BY kind != 'campaign', kind, spend DESC, revenue DESC, source, campaign
                """, Parameters(api, filters)));
    }

    /// <summary>Each platform that has reported spend, and the last day it reported.</summary>
    internal static async Task<IReadOnlyDictionary<string, DateOnly>> ReportedDaysAsync(DashboardApi api, QueryParameters parameters, CancellationToken cancellationToken)
    {
        var result = await api.Reader.QueryAsync($$"""
            SELECT platform, day
            FROM {{Reported}}
            ARRAY JOIN platforms AS platform, reported AS day
            ORDER BY platform
            """, parameters, cancellationToken: cancellationToken);
        var days = new SortedDictionary<string, DateOnly>(StringComparer.Ordinal);
        for (var i = 0; i < result.Rows.Count; i++)
        {
            days[result.Get<string>(i, "platform")] = result.Get<DateOnly>(i, "day");
        }
        return days;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>Days of a platform's spend in the range that it has not reported yet (it reports up to yesterday).</summary>
internal sealed record SpendNotLoaded(string Source, DateOnly From, DateOnly To);
