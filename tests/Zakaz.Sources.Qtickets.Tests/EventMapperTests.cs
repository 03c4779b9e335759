namespace Zakaz.Sources.Qtickets.Tests;

public sealed class EventMapperTests
{
    private static readonly DateTimeOffset Snapshot = new(2025, 11, 21, 15, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public async Task Events_get_their_city_and_dates_from_shows_that_are_not_deleted()
    {
        var events = await Fixtures.EventsAsync();
        var rows = events.Select(e => new EventMapper().MapEvent(e, Fixtures.Stamp)).ToList();

        var live = rows[0];
        Assert.Equal((900001ul, "новосибирск", 9001ul, "ДК «Тестовый»", true, false), (live.EventId, live.City, live.CityId, live.Venue, live.IsActive, live.Deleted));
        // Show 910002 (8 Nov) is deleted, so the event starts with 910001 on 15 Nov.
        Assert.Equal(new DateTimeOffset(2025, 11, 15, 15, 0, 0, TimeSpan.FromHours(3)), live.StartDate);
        Assert.Equal(new DateTimeOffset(2025, 12, 14, 17, 30, 0, TimeSpan.FromHours(3)), live.EndDate);
        var deleted = rows[1];
        Assert.Equal(("екатеринбург", false, true), (deleted.City, deleted.IsActive, deleted.Deleted));
    }

    [Fact]
    public async Task Shows_are_all_kept_with_their_deleted_flag()
    {
        var events = await Fixtures.EventsAsync();

        var shows = events.SelectMany(e => new EventMapper().MapShows(e, Fixtures.Stamp)).ToList();

        Assert.Equal([(910001ul, false), (910002ul, true), (910003ul, false), (920001ul, false)], shows.Select(s => (s.ShowId, s.Deleted)));
        Assert.Equal(new DateTimeOffset(2025, 10, 6, 10, 0, 0, TimeSpan.FromHours(3)), shows[3].SaleStartTs);
        Assert.Null(shows[0].SaleStartTs);
    }

    [Fact]
    public async Task An_event_without_live_shows_has_no_dates()
    {
        var e = (await Fixtures.EventsAsync())[0];
        var noLiveShows = new QticketsEvent
        {
            Id = e.Id,
            Name = e.Name,
            IsActive = e.IsActive,
            City = e.City,
            Shows = e.Shows.Where(s => s.DeletedAt is not null).ToArray(),
        };

        var row = new EventMapper().MapEvent(noLiveShows, Fixtures.Stamp);

        Assert.Null(row.StartDate);
        Assert.Null(row.EndDate);
    }

    [Fact]
    public async Task The_city_hook_resolves_the_normalised_name()
    {
        var e = (await Fixtures.EventsAsync())[0];
        var seen = new List<string>();

        var row = new EventMapper(name =>
        {
            seen.Add(name);
            return "canonical " + name;
        }).MapEvent(e, Fixtures.Stamp);

        Assert.Equal("canonical новосибирск", row.City);
        Assert.Equal(["новосибирск"], seen);
        Assert.Equal("томск", EventMapper.NormalizeCity("  Томск\t"));
    }

    [Fact]
    public async Task Inventory_rows_keep_unknown_counts_null()
    {
        var e = (await Fixtures.EventsAsync())[0];
        var mapper = new EventMapper();

        var known = mapper.MapInventory(e, e.Shows[0], new ShowInventory(204, 146), Snapshot, Fixtures.Stamp);
        var unknown = mapper.MapInventory(e, e.Shows[0], null, Snapshot, Fixtures.Stamp);

        Assert.Equal((910001ul, 900001ul, "новосибирск", 204u, 146u), (known.ShowId, known.EventId, known.City, known.TicketsTotal, known.TicketsLeft));
        Assert.Null(unknown.TicketsTotal);
        Assert.Null(unknown.TicketsLeft);
    }
}
