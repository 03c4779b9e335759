namespace Zakaz.Operations.Digest;

/// <summary>
/// The figures of the morning digest for one business date, each read from a <c>bi</c> view (see <see cref="MorningDigestQuery"/>).
/// Lists are complete and in the order the message shows them; the message shortens them, the figures never change.
/// </summary>
/// <param name="Date">The day the digest is about (Moscow); the comparisons are the day before and the same weekday a week earlier.</param>
/// <param name="Spend">Ad spend of <paramref name="Date"/> per connected platform (<c>bi.v_ad_spend_daily</c>).</param>
/// <param name="Roi">ROMI per city over the last seven complete days (<c>bi.v_marketing_roi_daily</c>).</param>
/// <param name="EventsAtRisk">Upcoming events at risk (<c>bi.v_event_inventory</c>), soonest first.</param>
/// <param name="Plan">Plan against fact from the first of the month through <paramref name="Date"/>; null when no plan covers that month.</param>
/// <param name="Health">The light of every connected source (<c>bi.v_ops_freshness</c>), as of now.</param>
public sealed record MorningDigest(
    DateOnly Date,
    SalesDay Sales,
    SalesDay DayBefore,
    SalesDay WeekBefore,
    IReadOnlyList<PlatformSpend> Spend,
    CityRoiPeriod Roi,
    IReadOnlyList<EventAtRisk> EventsAtRisk,
    PlanToDate? Plan,
    IReadOnlyList<SourceHealth> Health);

/// <summary>A day's sales summed over cities and events (<c>bi.v_sales_daily</c>).</summary>
public sealed record SalesDay(DateOnly Date, ulong Orders, ulong Tickets, decimal Revenue)
{
    public bool HasSales => Orders != 0 || Tickets != 0 || Revenue != 0;
}

/// <summary>
/// A platform's spend on the digest's date; null when the platform has not reported that day yet (no statistics of that
/// day or later, and no successful load since the day ended), so the message says "ещё не загружено", never 0 ₽.
/// </summary>
public sealed record PlatformSpend(string Source, decimal? Spend);

/// <summary>
/// ROMI per city from <paramref name="From"/> to <paramref name="To"/>: the cities with spend, lowest ROMI (losing) first.
/// Spend no rule placed in a city (<c>unknown</c>) is not a city: it is <paramref name="SpendWithoutCity"/>.
/// </summary>
public sealed record CityRoiPeriod(DateOnly From, DateOnly To, IReadOnlyList<CityRoi> Cities, decimal SpendWithoutCity);

/// <summary>A city's spend and revenue of the period and ROMI = (revenue − spend) / spend from those sums, as the view rounds it.</summary>
public sealed record CityRoi(string City, decimal Spend, decimal Revenue, double Romi)
{
    public bool Losing => Romi < 0;
}

/// <summary>An upcoming event whose projected sell-out falls after its last show, or that sold nothing in the last seven days.</summary>
public sealed record EventAtRisk(
    ulong EventId, string Name, string City, DateOnly Start, DateOnly End, ulong Capacity, ulong Left, double? SellThrough, ulong Tickets7d,
    DateOnly? ProjectedSellout);

/// <summary>
/// Plan and fact of the events and cities the month's plan covers (<c>bi.v_plan_vs_fact</c>): to date (from
/// <paramref name="From"/>, the first of the month, through the digest's date) and the whole month's plan;
/// <paramref name="Behind"/> lists those behind their revenue plan to date, furthest behind first.
/// </summary>
public sealed record PlanToDate(
    DateOnly From, DateOnly To, decimal PlanRevenue, decimal FactRevenue, ulong PlanTickets, ulong FactTickets, decimal MonthPlanRevenue,
    ulong MonthPlanTickets, IReadOnlyList<PlanLag> Behind);

public sealed record PlanLag(ulong EventId, string Name, string City, decimal PlanRevenue, decimal FactRevenue);

/// <summary>A source's light (green, amber or red) and its last successful load, null when it never had one.</summary>
public sealed record SourceHealth(string Source, string Status, DateTimeOffset? LastLoadedAt);
