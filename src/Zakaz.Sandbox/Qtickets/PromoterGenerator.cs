using static Zakaz.Sandbox.Qtickets.SandboxTime;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// Builds a promoter from a seed: events in a dozen cities, their shows and seat maps, advertising campaigns,
/// discounts, and months of orders before the anchor. Seat maps are sized from the expected demand so that halls
/// fill up realistically and admission zones keep some headroom.
/// </summary>
internal static class PromoterGenerator
{
    private const int FirstEventId = 310_001;
    private const int FirstShowId = 320_001;
    private const int FirstPriceId = 7_100_001;

    /// <summary>The mean of the 1-4 tickets per order that <see cref="OrderMaker"/> draws.</summary>
    private const double TicketsPerOrder = 1.83;

    /// <summary>One to three shows per event.</summary>
    private static ReadOnlySpan<double> ShowCountWeights => [55, 30, 15];

    /// <summary>When people buy tickets, by Moscow hour: little at night, most in the evening.</summary>
    private static ReadOnlySpan<double> HourWeights =>
        [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 7, 8, 9, 9, 7, 4];

    public static TicketOffice Generate(int seed, int orderCount, long anchor)
    {
        int eventCount = Math.Clamp(orderCount / 1000, 14, 300);
        EventPlan[] plans = [.. Enumerable.Range(0, eventCount).Select(i => PlanEvent(seed, i, anchor))];
        double[] weights = [.. plans.Select(p => p.Popularity * Math.Max(0, p.SalesCloseAt - p.SalesOpenAt - Hour) / Day)];
        double totalWeight = weights.Sum();

        var utmTags = new List<UtmTag>();
        var events = new List<PromoterEvent>(eventCount);
        var ids = new IdSequence(FirstShowId, FirstPriceId);
        foreach (EventPlan plan in plans)
        {
            double expectedTickets = totalWeight == 0 ? 0 : orderCount * TicketsPerOrder * weights[plan.Index] / totalWeight;
            events.Add(BuildEvent(seed, plan, expectedTickets, utmTags, ids));
        }
        (List<Discount> discounts, List<PromoCode> promoCodes) = BuildDiscounts(anchor, events);
        var office = new TicketOffice(seed, anchor, Math.Max(50, (int)(orderCount * 0.7)), events, utmTags, discounts,
            promoCodes);

        // Draw every order's event and time first, then place them in time order so ids ascend with created_at.
        var createdAt = new long[orderCount];
        var eventOf = new int[orderCount];
        for (int i = 0; i < orderCount; i++)
        {
            var random = SandboxRandom.For(seed, SandboxRandom.Purpose.Schedule, i);
            eventOf[i] = random.PickWeighted(weights);
            createdAt[i] = SaleTime(plans[eventOf[i]], ref random);
        }
        Array.Sort(createdAt, eventOf);
        for (int i = 0; i < orderCount; i++)
        {
            OrderMaker.Append(office, eventOf[i], createdAt[i]);
        }
        GiveHeadroom(office);
        return office;
    }

    private static EventPlan PlanEvent(int seed, int index, long anchor)
    {
        var random = SandboxRandom.For(seed, SandboxRandom.Purpose.Events, index);
        IReadOnlyList<City> cities = Catalog.Cities;
        City city = index < cities.Count ? cities[index] : cities[random.PickWeighted([.. cities.Select(c => c.Weight)])];
        Genre genre = random.Pick(Catalog.Genres);
        string title = random.Pick(Catalog.Titles);
        // Event 0 carries the deleted show, event 1 is the deleted event; both still sell, so both lie ahead.
        int showCount = index == 0 ? 3 : random.PickWeighted(ShowCountWeights) + 1;
        bool past = index >= 2 && random.Chance(0.3);
        long firstDay = anchor + (past ? -random.Next(3, 120) : random.Next(2, 180)) * Day;
        // Shows start at the genre's local hour; the API gives every time in Moscow time.
        long moscowStartHour = genre.LocalStartHour - (city.UtcOffsetHours - 3);
        var starts = new long[showCount];
        long day = MoscowMidnight(firstDay);
        for (int i = 0; i < showCount; i++)
        {
            starts[i] = day + moscowStartHour * Hour;
            day += random.Next(1, 22) * Day;
        }
        long opensAt = MoscowMidnight(starts[0] - random.Next(40, 150) * Day) + random.Next(10, 18) * Hour +
            random.Next(0, Hour);
        opensAt = Math.Min(opensAt, anchor - 2 * Day);
        long deletedAt = index == 1
            ? Math.Clamp(anchor - random.Next(2, 20) * Day, opensAt + Day, anchor - Hour)
            : 0;
        long closesAt = Math.Min(starts[^1] - Hour, Math.Min(deletedAt == 0 ? long.MaxValue : deletedAt, anchor));
        double gaussian = (random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) *
            Math.Sqrt(3);
        // Big cities sell more; within a city, events vary log-normally.
        return new EventPlan(index, city, genre, title, starts, opensAt, closesAt, deletedAt,
            city.Weight * Math.Exp(0.7 * gaussian), index == 0);
    }

    /// <summary>A purchase time in the event's sales window: more of them close to the show, at popular hours.</summary>
    private static long SaleTime(EventPlan plan, ref SandboxRandom random)
    {
        long from = plan.SalesOpenAt + Hour;
        long to = plan.SalesCloseAt;
        long at = from + (long)((to - from) * Math.Pow(random.NextDouble(), 1 / 1.6));
        at = MoscowMidnight(at) + random.PickWeighted(HourWeights) * Hour + random.Next(0, Hour);
        return Math.Clamp(at, from, to);
    }

    private static PromoterEvent BuildEvent(int seed, EventPlan plan, double expectedTickets, List<UtmTag> utmTags,
        IdSequence ids)
    {
        var random = SandboxRandom.For(seed, SandboxRandom.Purpose.Events, 10_000 + plan.Index);
        int eventId = FirstEventId + plan.Index;
        long basePrice = BasePrice(plan.Genre, ref random);
        double perShow = expectedTickets / plan.ShowStarts.Length;
        var shows = new List<PromoterShow>();
        for (int i = 0; i < plan.ShowStarts.Length; i++)
        {
            if (plan.HasDeletedShow && i == 1)
            {
                // Dated before the live shows, so reading it would move the event's start date.
                long deletedAt = Math.Min(plan.SalesOpenAt + random.Next(1, 10) * Day, plan.SalesCloseAt);
                shows.Add(BuildShow(plan, ids, plan.ShowStarts[0] - 7 * Day, basePrice, 0, deletedAt,
                    ref random));
            }
            shows.Add(BuildShow(plan, ids, plan.ShowStarts[i], basePrice, perShow, 0, ref random));
        }
        string name = string.Format(CultureInfo.InvariantCulture, plan.Genre.NamePattern, plan.Title);
        (List<int> tags, double[] tagWeights) = Campaigns(plan, eventId, utmTags);
        return new PromoterEvent(
            Id: eventId,
            // Real tenants rename an event before deleting it.
            Name: plan.DeletedAt != 0 ? "Удалить - " + name : name,
            City: plan.City,
            Genre: plan.Genre,
            Slug: Transliterate(plan.Title),
            PlaceName: random.Pick(Catalog.VenueNames),
            PlaceAddress: random.Pick(Catalog.Streets) + ", " + random.Next(1, 120).ToString(CultureInfo.InvariantCulture),
            Latitude: Math.Round(plan.City.Latitude + (random.NextDouble() - 0.5) / 20, 4),
            Longitude: Math.Round(plan.City.Longitude + (random.NextDouble() - 0.5) / 20, 4),
            CreatedAt: plan.SalesOpenAt - random.Next(5 * Minute, 2 * Hour),
            UpdatedAt: plan.DeletedAt != 0 ? plan.DeletedAt : Math.Min(plan.SalesCloseAt, plan.SalesOpenAt + random.Next(1, 30) * Day),
            DeletedAt: plan.DeletedAt,
            Shows: shows,
            UtmTags: tags,
            UtmWeights: tagWeights,
            Popularity: plan.Popularity);
    }

    private static long BasePrice(Genre genre, ref SandboxRandom random)
    {
        long[] roubles = genre.Code switch
        {
            "kids" => [590, 790, 990],
            "standup" => [1490, 1990, 2490],
            "classic" or "theatre" => [1500, 1990, 2500, 3500],
            _ => [1500, 1990, 2500, 2990, 3500, 4490],
        };
        return random.Pick(roubles) * 100;
    }

    private static PromoterShow BuildShow(EventPlan plan, IdSequence ids, long startAt, long basePrice,
        double expectedTickets, long deletedAt, ref SandboxRandom random)
    {
        int colorOffset = plan.Index % 5 * 3;
        List<ShowZone> zones = [];
        switch (plan.Genre.Venue)
        {
            case VenueKind.Club:
                zones.Add(Seated("BALCONY", "Балкон", ids.NextPrice(), basePrice, colorOffset + 1,
                    expectedTickets * 0.25, 0, ref random));
                zones.Add(new ShowZone("tancpol", "Танцпол", ids.NextPrice(), RoundTens(basePrice * 0.8), colorOffset + 2));
                break;
            case VenueKind.Hall:
                zones.Add(Seated("PARTERRE", "Партер", ids.NextPrice(), basePrice, colorOffset + 1,
                    expectedTickets * 0.6, 0.015, ref random));
                zones.Add(Seated("BALCONY", "Балкон", ids.NextPrice(), RoundTens(basePrice * 0.75), colorOffset + 2,
                    expectedTickets * 0.3, 0.015, ref random));
                zones.Add(new ShowZone("vhodnoj-bilet", "Входной билет", ids.NextPrice(), RoundTens(basePrice * 0.5),
                    colorOffset + 3));
                break;
            default:
                zones.Add(new ShowZone("vhodnoj-bilet", "Входной билет", ids.NextPrice(), basePrice, colorOffset + 1));
                break;
        }
        long createdAt = plan.SalesOpenAt - random.Next(Minute, 5 * Minute);
        return new PromoterShow(
            Id: ids.NextShow(),
            EventIndex: plan.Index,
            StartAt: startAt,
            FinishAt: startAt + plan.Genre.DurationMinutes * Minute,
            CreatedAt: createdAt,
            DeletedAt: deletedAt,
            SaleStartAt: random.Chance(0.3) ? plan.SalesOpenAt : 0,
            HasPriceRange: random.Chance(0.8),
            Zones: zones);
    }

    /// <summary>Rows of 12-30 seats sized to the expected demand times 0.9-1.5: some halls sell out.</summary>
    private static ShowZone Seated(string id, string name, int priceId, long price, int colorTheme, double demand,
        double disabledShare, ref SandboxRandom random)
    {
        int places = (int)random.Next(12, 31);
        double target = Math.Max(40, demand * (0.9 + random.NextDouble() * 0.6));
        int rows = Math.Clamp((int)Math.Ceiling(target / places), 2, 60);
        var disabled = new bool[rows * places];
        for (int i = 0; i < disabled.Length; i++)
        {
            disabled[i] = random.Chance(disabledShare);
        }
        return new ShowZone(id, name, priceId, price, colorTheme, rows, places, disabled);
    }

    private static long RoundTens(double kopecks) => (long)Math.Round(kopecks / 1000) * 1000;

    /// <summary>
    /// The event's advertising: VK, Yandex and Telegram campaigns named <c>{city}_{genre}_{year}</c>, a newsletter
    /// and a few oddities real tenants have (an upper-case source, a tag with only a source).
    /// </summary>
    private static (List<int> Tags, double[] Weights) Campaigns(EventPlan plan, int eventId, List<UtmTag> utmTags)
    {
        string campaign = plan.City.Code + "_" + plan.Genre.Code + "_" +
            MoscowDate(plan.ShowStarts[0]).Year.ToString(CultureInfo.InvariantCulture);
        string id = eventId.ToString(CultureInfo.InvariantCulture);
        (UtmTag Tag, double Weight)[] tags =
        [
            (new UtmTag("vk", "cpc", campaign, "155" + id + "1", null), 10),
            (new UtmTag("vk", "cpc", campaign, "155" + id + "2", null), 10),
            (new UtmTag("vk", "target", campaign, "155" + id + "3", null), 8),
            (new UtmTag("VK", "target", campaign, "155" + id + "3", null), 1.5),
            (new UtmTag("vk", null, null, null, null), 1),
            (new UtmTag("yandex", "cpc", campaign + "_search", "ad" + id, "концерт " + plan.City.Name.ToLowerInvariant()), 9),
            (new UtmTag("yandex", "cpc", campaign + "_rsya", "ad" + id, null), 9),
            (new UtmTag("telegram", "post", campaign + "_tg", "afisha_" + plan.City.Code, null), 10),
            (new UtmTag("email", "newsletter", "digest_" + plan.City.Code, null, null), 4),
            (new UtmTag("insta", "stories", "anons_" + plan.Genre.Code, null, null), 2),
        ];
        var indexes = new List<int>(tags.Length);
        foreach ((UtmTag tag, _) in tags)
        {
            indexes.Add(utmTags.Count);
            utmTags.Add(tag);
        }
        return (indexes, [.. tags.Select(t => t.Weight)]);
    }

    private static (List<Discount>, List<PromoCode>) BuildDiscounts(long anchor, List<PromoterEvent> events)
    {
        int[] Events(Func<PromoterEvent, bool> match) =>
            [.. events.Select((e, i) => (e, i)).Where(p => match(p.e)).Select(p => p.i)];

        long created = MoscowMidnight(anchor - 400 * Day) + 11 * Hour;
        long archivedUntil = MoscowMidnight(anchor - 200 * Day);
        var discounts = new List<Discount>
        {
            new(7001, "Скидка 10% подписчикам", 10, true, 0, 0, created, created, 0,
                Events(e => e.Genre.Code is "rock" or "pop" or "jazz")),
            new(7002, "Промокод 100% (розыгрыш)", 100, true, 0, 0, created + Day, created + Day, 0,
                Events(e => e.Id % 3 == 0)),
            new(7003, "Скидка 15% именинникам", 15, true, 0, 0, created + 2 * Day, created + 2 * Day, 0, Events(_ => true)),
            new(7004, "Ранняя покупка 20%", 20, true, created, 0, created + 3 * Day, created + 3 * Day, 0,
                Events(e => e.Genre.Venue == VenueKind.Hall)),
            new(7005, "Скидка 7% (архив)", 7, false, 0, archivedUntil, created + 4 * Day, archivedUntil + 10 * Day,
                archivedUntil + 10 * Day, Events(_ => true)),
        };
        var promoCodes = new List<PromoCode>
        {
            new(81001, 0, "ROCK10", 0, true, 0, 0, created, created, 0),
            new(81002, 1, "FREEPASS", 50, true, 0, 0, created + Day, created + Day, 0),
            new(81003, 2, "BDAY15", 0, true, 0, 0, created + 2 * Day, created + 2 * Day, 0),
            new(81004, 0, "SUBSCRIBER10", 0, true, 0, 0, created + 5 * Day, created + 5 * Day, 0),
            new(81005, 3, "EARLY20", 200, true, created, 0, created + 3 * Day, created + 3 * Day, 0),
            new(81006, 4, "OLD7", 0, false, 0, archivedUntil, created + 4 * Day, archivedUntil + 10 * Day,
                archivedUntil + 10 * Day),
            new(81007, 2, "WINTER15", 100, false, 0, anchor - 30 * Day, created + 6 * Day, anchor - 30 * Day, 0),
        };
        return (discounts, promoCodes);
    }

    /// <summary>
    /// Admission capacity was grown to the peak sold during generation; now give it headroom: past shows end
    /// nearly full, future ones keep room to sell.
    /// </summary>
    private static void GiveHeadroom(TicketOffice office)
    {
        for (int i = 0; i < office.Shows.Count; i++)
        {
            PromoterShow show = office.Shows[i];
            ShowZone zone = show.AdmissionZone;
            var random = SandboxRandom.For(office.Seed, SandboxRandom.Purpose.Events, 20_000 + i);
            int headroom = show.StartAt < office.Anchor
                ? random.Next(zone.HeldCount / 10 + 5)
                : Math.Max(20, (int)(zone.HeldCount * (0.3 + random.NextDouble() * 1.2)));
            zone.Capacity = (Math.Max(zone.Capacity, zone.HeldCount + headroom) + 9) / 10 * 10;
        }
    }

    private const string Cyrillic = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";

    private static readonly string[] Latin =
    [
        "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "j", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
        "h", "c", "ch", "sh", "shh", "", "y", "", "e", "yu", "ya",
    ];

    /// <summary>An URL slug, as the back office derives it from an event's title.</summary>
    private static string Transliterate(string text)
    {
        var slug = new StringBuilder(text.Length * 2);
        foreach (char c in text.ToLowerInvariant())
        {
            int letter = Cyrillic.IndexOf(c, StringComparison.Ordinal);
            slug.Append(letter >= 0 ? Latin[letter] : char.IsAsciiLetterOrDigit(c) ? c.ToString() : "-");
        }
        return slug.ToString().Trim('-');
    }

    /// <summary>What an event's schedule looks like before its seat maps are sized.</summary>
    private sealed record EventPlan(int Index, City City, Genre Genre, string Title, long[] ShowStarts,
        long SalesOpenAt, long SalesCloseAt, long DeletedAt, double Popularity, bool HasDeletedShow);

    /// <summary>Show and price ids ascend across events in creation order, as database ids do.</summary>
    private sealed class IdSequence(int nextShow, int nextPrice)
    {
        public int NextShow() => nextShow++;

        public int NextPrice() => nextPrice++;
    }
}
