namespace Zakaz.Web.Dashboard.Api;

/// <summary>A KPI tile: this period's value, the previous period's, and the change in percent (null when there is nothing to compare with).</summary>
internal sealed record Kpi(string Key, decimal? Value, decimal? Previous, decimal? ChangePct)
{
    public static Kpi Of(string key, decimal? value, decimal? previous) =>
        new(key, value, previous, value is { } v && previous is { } p && p != 0 ? Math.Round((v - p) / Math.Abs(p) * 100, 1) : null);

    /// <summary>A ratio of sums, rounded as the bi views round it; null on a zero denominator.</summary>
    public static decimal? Ratio(decimal numerator, decimal denominator, int decimals) =>
        denominator == 0 ? null : Math.Round(numerator / denominator, decimals);
}

internal sealed record KpiAnswer(DateOnly From, DateOnly To, DateOnly PreviousFrom, DateOnly PreviousTo, IReadOnlyList<Kpi> Kpis)
{
    public static KpiAnswer For(DashboardFilters filters, params Kpi[] kpis) =>
        new(filters.From, filters.To, filters.PreviousFrom, filters.PreviousTo, kpis);
}
