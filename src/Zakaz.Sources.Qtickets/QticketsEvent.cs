using static Zakaz.Sources.Qtickets.QticketsJson;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// An event (spec §3.4) with its shows. There are no event-level dates: they come from the shows.
/// <c>scheme_properties</c> (most of an event's 390 KB) is never read into the model.
/// </summary>
public sealed class QticketsEvent
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required bool IsActive { get; init; }

    /// <summary>Null when the event has no city object.</summary>
    public QticketsCity? City { get; init; }

    public string? PlaceName { get; init; }

    public string? CurrencyId { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Deleted events are still listed and kept, flagged: old orders refer to them.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public required IReadOnlyList<QticketsShow> Shows { get; init; }

    public static QticketsEvent FromJson(JsonElement e) => Read(e, "event", v => new QticketsEvent
    {
        Id = Id(v, "id"),
        Name = Text(v, "name") ?? "",
        IsActive = Bool(v, "is_active"),
        City = Property(v, "city") switch
        {
            { ValueKind: JsonValueKind.Object } city => new QticketsCity(OptionalId(city, "id") ?? OptionalId(v, "city_id"), Text(city, "name") ?? "", Text(city, "timezone")),
            // Older payloads and hand-made files name the city as plain text.
            { ValueKind: JsonValueKind.String } city => new QticketsCity(OptionalId(v, "city_id"), city.GetString()!, null),
            _ => null,
        },
        PlaceName = Text(v, "place_name"),
        CurrencyId = Text(v, "currency_id"),
        CreatedAt = OptionalTimestamp(v, "created_at"),
        UpdatedAt = OptionalTimestamp(v, "updated_at"),
        DeletedAt = OptionalTimestamp(v, "deleted_at"),
        Shows = Items(v, "shows").Select(QticketsShow.FromJson).ToArray(),
    });
}

/// <summary><c>event.city</c>: an object, not a string; <see cref="Timezone"/> is an IANA name.</summary>
public sealed record QticketsCity(long? Id, string Name, string? Timezone);

/// <summary>One performance of an event (spec §3.5). Deleted shows are left out of event dates and inventory.</summary>
public sealed record QticketsShow(
    long Id, bool IsActive, DateTimeOffset? StartDate, DateTimeOffset? FinishDate, DateTimeOffset? OpenDate, DateTimeOffset? SaleStartDate,
    DateTimeOffset? SaleFinishDate, DateTimeOffset? DeletedAt, IReadOnlyList<QticketsPrice> Prices)
{
    internal static QticketsShow FromJson(JsonElement e) => Read(e, "show", s => new QticketsShow(
        QticketsJson.Id(s, "id"), Bool(s, "is_active"), OptionalTimestamp(s, "start_date"), OptionalTimestamp(s, "finish_date"),
        OptionalTimestamp(s, "open_date"), OptionalTimestamp(s, "sale_start_date"), OptionalTimestamp(s, "sale_finish_date"),
        OptionalTimestamp(s, "deleted_at"),
        Items(s, "prices").Select(p => new QticketsPrice(QticketsJson.Id(p, "id"), OptionalMoney(p, "default_price"), Text(p, "color_theme"))).ToArray()));
}

/// <summary>A price level of a show; <see cref="ColorTheme"/> points into <c>/color-themes</c> and arrives as a string.</summary>
public sealed record QticketsPrice(long Id, decimal? DefaultPrice, string? ColorTheme);
