using Microsoft.AspNetCore.Http;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// The global filters every page sends: Moscow dates <c>from</c> and <c>to</c> (inclusive; default
/// the last 30 days up to today), <c>city</c> and <c>event</c> (repeatable; none means all), <c>source</c>
/// (one ad platform, <see cref="AdSources"/>; empty means all: the Marketing page's filter, which other
/// pages ignore); <c>campaign</c> (repeatable utm_campaign values: the last step of the drill-down, which
/// pages with campaigns apply); and for a paged table's JSON, <c>offset</c> and <c>limit</c>.
/// </summary>
internal sealed record DashboardFilters(
    DateOnly From, DateOnly To, IReadOnlyList<string> Cities, IReadOnlyList<ulong> Events, string Source, bool Csv, ulong Offset, uint Limit)
{
    public IReadOnlyList<string> Campaigns { get; init; } = [];

    public const int DefaultDays = 30;

    /// <summary>Rows of a paged table per answer unless <c>limit</c> says otherwise, and the most it may say.</summary>
    public const uint DefaultLimit = 200;

    public const uint MaxLimit = 1000;

    /// <summary>Ten years: more is a typo, and would make every query scan everything.</summary>
    public const int MaxDays = 3660;

    private const int MaxValues = 500;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "from", "to", "city", "event", "source", "campaign", "format", "offset", "limit" };

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length just before <see cref="From"/>, for the KPI comparisons.</summary>
    public DateOnly PreviousFrom => From.AddDays(-Days);

    public DateOnly PreviousTo => From.AddDays(-1);

    /// <summary>The filters, or the reason they are wrong (the API's 400).</summary>
    public static DashboardFilters Parse(IQueryCollection query, DateOnly today)
    {
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unknown)
        {
            throw new BadRequestException($"Unknown parameter '{unknown}': the filters are from, to, city, event, source, campaign and format (offset and limit for a paged table).");
        }
        var to = Date(query, "to") ?? today;
        var from = Date(query, "from") ?? to.AddDays(-(DefaultDays - 1));
        if (from > to)
        {
            throw new BadRequestException($"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd}).");
        }
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new BadRequestException($"The range from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is longer than {MaxDays} days.");
        }
        var cities = Values(query, "city").Select(c => c.Trim().ToLowerInvariant()).ToArray();
        if (cities.Any(c => c.Length == 0 || c.Length > 200))
        {
            throw new BadRequestException("'city' must be a city name (1 to 200 characters).");
        }
        var events = Values(query, "event").Select(e => ulong.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadRequestException($"'event' must be an event id (a whole number), not '{e}'.")).ToArray();
        var campaigns = query["campaign"].Select(c => c ?? "").ToArray();
        if (campaigns.Length > MaxValues || campaigns.Any(c => c.Length == 0 || c.Length > 500))
        {
            throw new BadRequestException($"'campaign' must be a campaign's utm_campaign (1 to 500 characters), given at most {MaxValues} times.");
        }
        var source = query["source"];
        if (source.Count > 1 || !(source.ToString() is "" || AdSources.All.Contains(source.ToString())))
        {
            throw new BadRequestException($"'source' is one ad platform ({string.Join(" or ", AdSources.All)}) or empty for all, not '{source}'.");
        }
        var format = query["format"].ToString();
        if (format is not ("" or "json" or "csv"))
        {
            throw new BadRequestException($"'format' is json or csv, not '{format}'.");
        }
        var offset = Whole(query, "offset", ulong.MaxValue) ?? 0;
        var limit = Whole(query, "limit", MaxLimit) ?? DefaultLimit;
        if (limit == 0)
        {
            throw new BadRequestException($"'limit' must be 1 to {MaxLimit}.");
        }
        return new DashboardFilters(from, to, cities.Distinct().ToArray(), events.Distinct().ToArray(), source.ToString(), format == "csv", offset, (uint)limit)
        {
            Campaigns = campaigns.Distinct().ToArray(),
        };
    }

    /// <summary>
    /// The WHERE condition on a view with columns <c>city</c> and <c>event_id</c> and the date column
    /// given, over <see cref="From"/>..<see cref="To"/> or the range given; its values are in <see cref="Parameters"/>.
    /// </summary>
    public static string Where(string dateColumn, string from = "from", string to = "to") =>
        $"{dateColumn} BETWEEN {{{from}:Date}} AND {{{to}:Date}} AND {CityAndEvent}";

    /// <summary>The city filter alone: true for every city when none is chosen.</summary>
    public const string City = "(empty({cities:Array(String)}) OR has({cities:Array(String)}, city))";

    public const string Event = "(empty({events:Array(UInt64)}) OR has({events:Array(UInt64)}, event_id))";

    /// <summary>The ad platform filter, on a view whose <c>source</c> is the platform: true for every platform (and none) when none is chosen.</summary>
    public const string Platform = "({source:String} = '' OR source = {source:String})";

    /// <summary>The campaign filter, on a view whose <c>campaign</c> is the utm_campaign: true for every campaign when none is chosen.</summary>
    public const string Campaign = "(empty({campaigns:Array(String)}) OR has({campaigns:Array(String)}, campaign))";

    /// <summary>The city and event part of the filters alone (snapshots without dates).</summary>
    public const string CityAndEvent = City + " AND " + Event;

    /// <summary>The values of <see cref="Where"/>: from, to, their previous period (pfrom, pto), cities and events; the ad platform (source) and the campaigns.</summary>
    public QueryParameters Parameters() => new QueryParameters()
        .Add("from", From).Add("to", To).Add("pfrom", PreviousFrom).Add("pto", PreviousTo)
        .Add("cities", Cities).Add("events", Events).Add("source", Source).Add("campaigns", Campaigns);

    private static DateOnly? Date(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1)
        {
            throw new BadRequestException($"'{name}' is given {values.Count} times; give one date.");
        }
        if (!DateOnly.TryParseExact(values[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new BadRequestException($"'{name}' must be a date as yyyy-MM-dd, not '{values[0]}'.");
        }
        return DateRange.Business.Contains(date)
            ? date
            : throw new BadRequestException($"'{name}' must be a date from {DateRange.Business.From:yyyy-MM-dd} to {DateRange.Business.To:yyyy-MM-dd}, not {date:yyyy-MM-dd}.");
    }

    private static ulong? Whole(IQueryCollection query, string name, ulong max)
    {
        var values = query[name];
        return values.Count == 0 ? null
            : values.Count == 1 && ulong.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max ? number
            : throw new BadRequestException($"'{name}' must be one whole number up to {max}, not '{values}'.");
    }

    private static IEnumerable<string> Values(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > MaxValues)
        {
            throw new BadRequestException($"'{name}' is given {values.Count} times; at most {MaxValues}.");
        }
        // Both ?city=a&city=b and ?city=a,b are accepted.
        return values.SelectMany(v => (v ?? "").Split(','));
    }
}

/// <summary>The request's parameters are wrong: a 400 with this message.</summary>
internal sealed class BadRequestException(string message) : Exception(message);
