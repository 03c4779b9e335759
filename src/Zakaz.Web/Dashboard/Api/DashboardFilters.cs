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
    DateOnly From, DateOnly To, IReadOnlyList<string> Cities, IReadOnlyList<ulong> Events, string Source, TableFormat Format, ulong Offset, uint Limit)
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
            throw new BadRequestException($"Unknown parameter '{unknown}': the filters are from, to, city, event, source, campaign and format (offset and limit for a paged table).",
                unknown, $"Неизвестный параметр «{unknown}» в адресе: уберите его из ссылки.");
        }
        var to = Date(query, "to") ?? today;
        var from = Date(query, "from") ?? to.AddDays(-(DefaultDays - 1));
        if (from > to)
        {
            throw new BadRequestException($"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd}).",
                "from", $"Начало периода ({from:dd.MM.yyyy}) позже его конца ({to:dd.MM.yyyy}).");
        }
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new BadRequestException($"The range from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is longer than {MaxDays} days.",
                "from", $"Период длиннее {MaxDays} дней: выберите период короче.");
        }
        var cities = Values(query, "city").Select(c => c.Trim().ToLowerInvariant()).ToArray();
        if (cities.Any(c => c.Length == 0 || c.Length > 200))
        {
            throw new BadRequestException("'city' must be a city name (1 to 200 characters).", "city", "Название города пустое или длиннее 200 символов.");
        }
        if (cities.FirstOrDefault(c => !IsCityName(c)) is { } odd)
        {
            throw new BadRequestException($"'city' must be a city name (letters, digits, spaces, hyphens, dots, brackets), not '{odd}'.",
                "city", $"«{odd}» не похоже на название города: в нём есть кавычки или знаки, которых не бывает в названиях городов.");
        }
        var events = Values(query, "event").Select(e => ulong.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new BadRequestException($"'event' must be an event id (a whole number), not '{e}'.",
                "event", $"«{e}» не номер события: событие задаётся целым числом.")).ToArray();
        var campaigns = query["campaign"].Select(c => c ?? "").ToArray();
        if (campaigns.Length > MaxValues || campaigns.Any(c => c.Length == 0 || c.Length > 500))
        {
            throw new BadRequestException($"'campaign' must be a campaign's utm_campaign (1 to 500 characters), given at most {MaxValues} times.",
                "campaign", $"Кампания задаётся меткой utm_campaign длиной от 1 до 500 символов, не больше {MaxValues} кампаний.");
        }
        var source = query["source"];
        if (source.Count > 1 || !(source.ToString() is "" || AdSources.All.Contains(source.ToString())))
        {
            throw new BadRequestException($"'source' is one ad platform ({string.Join(" or ", AdSources.All)}) or empty for all, not '{source}'.",
                "source", $"Неизвестная рекламная площадка «{source}»: выберите площадку из списка.");
        }
        var format = query["format"].ToString();
        var tableFormat = format switch
        {
            "" or "json" => TableFormat.Json,
            "csv" => TableFormat.Csv,
            "xlsx" => TableFormat.Xlsx,
            _ => throw new BadRequestException($"'format' is json, csv or xlsx, not '{format}'.", "format", $"Неизвестный формат выгрузки «{format}»: есть CSV и XLSX."),
        };
        var offset = Whole(query, "offset", ulong.MaxValue) ?? 0;
        var limit = Whole(query, "limit", MaxLimit) ?? DefaultLimit;
        if (limit == 0)
        {
            throw new BadRequestException($"'limit' must be 1 to {MaxLimit}.", "limit", $"Строк на странице должно быть от 1 до {MaxLimit}.");
        }
        return new DashboardFilters(from, to, cities.Distinct().ToArray(), events.Distinct().ToArray(), source.ToString(), tableFormat, offset, (uint)limit)
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
            throw new BadRequestException($"'{name}' is given {values.Count} times; give one date.", name, "Дата указана несколько раз: оставьте одну.");
        }
        if (!DateOnly.TryParseExact(values[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // TryParseExact also refuses days a month does not have (2026-02-30).
            throw new BadRequestException($"'{name}' must be a date as yyyy-MM-dd, not '{values[0]}'.", name, $"«{values[0]}» — не существующая дата: укажите дату как ГГГГ-ММ-ДД.");
        }
        return DateRange.Business.Contains(date)
            ? date
            : throw new BadRequestException($"'{name}' must be a date from {DateRange.Business.From:yyyy-MM-dd} to {DateRange.Business.To:yyyy-MM-dd}, not {date:yyyy-MM-dd}.",
                name, $"Дата {date:dd.MM.yyyy} вне допустимых: от {DateRange.Business.From:dd.MM.yyyy} до {DateRange.Business.To:dd.MM.yyyy}.");
    }

    private static ulong? Whole(IQueryCollection query, string name, ulong max)
    {
        var values = query[name];
        return values.Count == 0 ? null
            : values.Count == 1 && ulong.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= max ? number
            : throw new BadRequestException($"'{name}' must be one whole number up to {max}, not '{values}'.", name, $"«{values}» — не целое число до {max}.");
    }

    private static IEnumerable<string> Values(IQueryCollection query, string name)
    {
        var values = query[name];
        if (values.Count > MaxValues)
        {
            throw new BadRequestException($"'{name}' is given {values.Count} times; at most {MaxValues}.", name, $"Выбрано {values.Count} значений: можно не больше {MaxValues}.");
        }
        // Both ?city=a&city=b and ?city=a,b are accepted.
        return values.SelectMany(v => (v ?? "").Split(','));
    }

    /// <summary>
    /// Letters of any script, combining marks, digits, spaces, hyphens and dashes, dots and brackets
    /// («Ростов-на-Дону», «Королёв (Московская обл.)»). Quotes, backslashes, semicolons and control
    /// characters are refused although the value only ever travels as a query parameter: no city name has
    /// them, so such a value is a broken or hand-made link, and a 400 that says so helps more than an empty page.
    /// </summary>
    private static bool IsCityName(string city) => city.All(c =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
        || c is ' ' or '-' or '\u2010' or '\u2013' or '.' or '(' or ')');
}

/// <summary>How a table endpoint answers: JSON for the page, or a download (CSV for Russian Excel, XLSX).</summary>
internal enum TableFormat
{
    Json,
    Csv,
    Xlsx,
}

/// <summary>
/// The request's parameters are wrong: a 400 whose <c>detail</c> is <paramref name="message"/> (English, for
/// scripts and logs), and, for people, <paramref name="parameter"/> (the query parameter at fault, so the page
/// can show the reason beside that filter) and <paramref name="reason"/> (Russian).
/// </summary>
internal sealed class BadRequestException(string message, string? parameter = null, string? reason = null) : Exception(message)
{
    public string? Parameter { get; } = parameter;

    public string? Reason { get; } = reason;
}
