namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Turns events into <c>dim_events</c>, <c>dim_shows</c> and inventory rows (spec §9): the city is <c>city.name</c>
/// trimmed and lower-cased, then passed to <paramref name="canonicalCity"/> (the sync resolves aliases there); an
/// event's dates are the earliest start and latest finish of its shows that are not deleted, null when there is none.
/// </summary>
/// <param name="canonicalCity">Maps a normalised city name to its canonical name; identity when null.</param>
public sealed class EventMapper(Func<string, string>? canonicalCity = null)
{
    public QticketsEventRow MapEvent(QticketsEvent e, LoadStamp stamp)
    {
        var live = e.Shows.Where(s => s.DeletedAt is null).ToArray();
        return new QticketsEventRow(checked((ulong)e.Id), e.Name, City(e), CityId: e.City?.Id is { } cityId ? checked((ulong)cityId) : 0,
            Venue: e.PlaceName ?? "", StartDate: live.Min(s => s.StartDate), EndDate: live.Max(s => s.FinishDate), e.IsActive,
            Deleted: e.DeletedAt is not null, stamp.Version, stamp.LoadedAt);
    }

    public IReadOnlyList<QticketsShowRow> MapShows(QticketsEvent e, LoadStamp stamp) =>
        e.Shows.Select(s => new QticketsShowRow(checked((ulong)s.Id), checked((ulong)e.Id), s.StartDate, s.FinishDate, s.SaleStartDate, s.SaleFinishDate,
            Deleted: s.DeletedAt is not null, stamp.Version, stamp.LoadedAt)).ToArray();

    /// <summary>A show's inventory snapshot; <paramref name="inventory"/> null (no counts) stays null, not zero.</summary>
    public QticketsInventoryRow MapInventory(QticketsEvent e, QticketsShow show, ShowInventory? inventory, DateTimeOffset snapshotTs, LoadStamp stamp) =>
        new(snapshotTs, checked((ulong)e.Id), checked((ulong)show.Id), City(e),
            TicketsTotal: inventory is { } total ? checked((uint)total.Capacity) : null,
            TicketsLeft: inventory is { } left ? checked((uint)left.Left) : null,
            stamp.Version, stamp.LoadedAt);

    public string City(QticketsEvent e)
    {
        var name = NormalizeCity(e.City?.Name);
        return name.Length == 0 || canonicalCity is null ? name : canonicalCity(name);
    }

    public static string NormalizeCity(string? name) => name?.Trim().ToLowerInvariant() ?? "";
}
