using Zakaz.Storage;

namespace Zakaz.Pipeline.Reports;

public enum RoiGrain
{
    Day,
    City,
    Campaign,
    Event,
    Source,
}

/// <summary>
/// The marketing ROI table: spend against the revenue, orders and tickets it brought, with ROAS, ROMI and CPO (CPT and
/// CPC where the grain has tickets and clicks), one row per key and a total row last, from the <c>bi</c> views only;
/// sums are taken over the period and the ratios computed from those sums (never averaged), NULL when the denominator is 0.
/// By ad platform (<see cref="RoiGrain.Source"/>), or for one platform, revenue is that of the orders whose utm_source the
/// platform's ads carry (<c>bi.v_marketing_source_daily</c>); revenue no loaded platform claims is its own row.
/// </summary>
public static class RoiReport
{
    public const string TotalLabel = "total";

    /// <summary>The source row of revenue from orders no loaded ad platform's ads are tagged like (organic, newsletters, telegram).</summary>
    public const string NoPlatformLabel = "(no ad platform)";

    /// <summary>The statement and its parameters; the first column of the total row reads <see cref="TotalLabel"/>, its other keys are empty.</summary>
    /// <param name="source">An ad platform (<c>vk_ads</c>, <c>yandex_direct</c>) whose spend and attributed sales alone are counted; null: all.</param>
    public static (string Sql, QueryParameters Parameters) Query(RoiGrain grain, DateOnly? from, DateOnly? to, string? source = null)
    {
        var spec = Spec(grain, source is not null);
        var parameters = new QueryParameters();
        var conditions = new List<string>();
        if (source is not null)
        {
            // The campaign view's source is the orders' and ads' utm_source: a platform stands for the tags its ads carry.
            conditions.Add(grain == RoiGrain.Campaign
                ? "source IN (SELECT utm_source FROM bi.v_ad_utm_sources WHERE source = {platform:String})"
                : "source = {platform:String}");
            parameters.Add("platform", source);
        }
        if (from is { } first)
        {
            conditions.Add("d >= {from:Date}");
            parameters.Add("from", first);
        }
        if (to is { } last)
        {
            conditions.Add("d <= {to:Date}");
            parameters.Add("to", last);
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var keys = string.Join(", ", spec.Keys.Select(k => $"{k.Expression} AS {k.Name}"));
        var keyNames = string.Join(", ", spec.Keys.Select(k => k.Name));
        var totalKeys = string.Join(", ", spec.Keys.Select((k, i) => $"'{(i == 0 ? TotalLabel : "")}'"));
        var sums = string.Join(", ", spec.Sums.Select(s => $"sum({s.Source}) AS {s.Name}"));
        var ratios = string.Join(",\n    ", spec.Ratios);
        var sql = $"""
            SELECT {keyNames}, {string.Join(", ", spec.Sums.Select(s => s.Name))},
                {ratios}
            FROM
            (
                SELECT 0 AS total_row, {keys}, {sums}
                FROM {spec.View}
                {where}
                GROUP BY {keyNames}
                UNION ALL
                SELECT 1, {totalKeys}, {sums}
                FROM {spec.View}
                {where}
            )
            ORDER BY total_row, {spec.Order}
            """;
        return (sql, parameters);
    }

    private static GrainSpec Spec(RoiGrain grain, bool onePlatform) => grain switch
    {
        RoiGrain.Day => new GrainSpec(onePlatform ? BySource : "bi.v_marketing_roi_daily", [new("day", "toString(d)")], FullSums, FullRatios, "day"),
        RoiGrain.City => new GrainSpec(onePlatform ? BySource : "bi.v_marketing_roi_daily", [new("city", "toString(city)")], FullSums, FullRatios,
            "spend DESC, revenue DESC, city"),
        RoiGrain.Source => new GrainSpec(BySource, [new("source", $"if(source = '', '{NoPlatformLabel}', toString(source))")], FullSums, FullRatios,
            "spend DESC, revenue DESC, source"),
        RoiGrain.Campaign => new GrainSpec("bi.v_romi_by_campaign", [new("source", "toString(source)"), new("utm_campaign", "utm_campaign")],
            [new("spend", "spend"), new("revenue", "revenue"), new("orders", "orders")], [Roas, Romi, Cpo],
            "spend DESC, revenue DESC, source, utm_campaign"),
        RoiGrain.Event => new GrainSpec(onePlatform ? EventsBySource : "bi.v_marketing_roi_by_event",
            [new("event_id", "toString(event_id)"), new("event_name", "event_name"), new("city", "toString(city)")], FullSums, FullRatios,
            "spend DESC, revenue DESC, event_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(grain), grain, null),
    };

    private const string BySource = "bi.v_marketing_source_daily";

    // The event's name and city as bi.v_marketing_roi_by_event gives them.
    private const string EventsBySource = """
        (
            SELECT m.d AS d, m.source AS source, m.event_id AS event_id, e.event_name AS event_name, e.city AS city,
                   m.spend AS spend, m.revenue AS revenue, m.orders AS orders, m.tickets_sold AS tickets_sold, m.clicks AS clicks
            FROM bi.v_marketing_source_daily AS m
            LEFT JOIN (SELECT event_id, event_name, city FROM bi.v_events) AS e ON e.event_id = m.event_id
        )
        """;

    // The spec's formulas (data-model.md section 4), written as the bi views write them.
    private const string Roas = "if(spend = 0, NULL, round(toFloat64(revenue) / toFloat64(spend), 4)) AS roas";
    private const string Romi = "if(spend = 0, NULL, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS romi";
    private const string Cpo = "if(orders = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / orders, 2), 2)) AS cpo";
    private const string Cpt = "if(tickets = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / tickets, 2), 2)) AS cpt";
    private const string Cpc = "if(clicks = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / clicks, 2), 2)) AS cpc";

    private static readonly Sum[] FullSums =
        [new("spend", "spend"), new("revenue", "revenue"), new("orders", "orders"), new("tickets", "tickets_sold"), new("clicks", "clicks")];

    private static readonly string[] FullRatios = [Roas, Romi, Cpo, Cpt, Cpc];

    private sealed record Key(string Name, string Expression);

    private sealed record Sum(string Name, string Source);

    private sealed record GrainSpec(string View, IReadOnlyList<Key> Keys, IReadOnlyList<Sum> Sums, IReadOnlyList<string> Ratios, string Order);
}
