using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Storage;

namespace Zakaz.Web.Tests;

/// <summary>
/// A small promoter written by hand: three events in two cities, five orders over 2026-03-09..11,
/// two banners and a plan. The expected figures of the API tests are computed from these rows.
/// </summary>
internal static class SampleData
{
    public static async Task LoadAsync(IClickHouseStore store)
    {
        var staging = new Staging(store);
        await staging.Event(1, "Концерт А", "москва");
        await staging.Event(2, "Концерт Б", "санкт-петербург");
        await staging.Event(3, "Концерт В", "москва");

        // 2026-03-09 (the previous period of 03-10..03-11): one ticket of 1000.
        await Sale(staging, 5, 1, Staging.Msk(2026, 3, 9), "", "", 1000m);
        // 2026-03-10: event 1 two tickets (1500, tagged vk/spring), event 2 one ticket (800, untagged).
        await Sale(staging, 1, 1, Staging.Msk(2026, 3, 10), "vk", "spring", 1000m, 500m);
        await Sale(staging, 2, 2, Staging.Msk(2026, 3, 10), "", "", 800m);
        // 2026-03-11: event 1 one ticket (700, vk/spring), event 3 two tickets (600, untagged).
        await Sale(staging, 3, 1, Staging.Msk(2026, 3, 11), "vk", "spring", 700m);
        await Sale(staging, 4, 3, Staging.Msk(2026, 3, 11), "", "", 300m, 300m);

        await staging.AdStats(
            new AdStat(new DateOnly(2026, 3, 10), 11, "москва", 1, 1000m, 50, 5000) { UtmSource = "vk", UtmCampaign = "spring" },
            new AdStat(new DateOnly(2026, 3, 11), 12, "unknown", 0, 500m, 10, 1000) { UtmSource = "vk", UtmCampaign = "other" });
        await staging.Plans(
            new Plan(new DateOnly(2026, 3, 10), 1, "москва", 2, 2000m),
            new Plan(new DateOnly(2026, 3, 11), 1, "москва", 1, 1000m));

        await new FactBuilder(store).RebuildAllAsync();
    }

    internal static async Task Sale(Staging staging, ulong orderId, ulong eventId, DateTimeOffset paidAt, string utmSource, string utmCampaign, params decimal[] prices)
    {
        await staging.Order(new Order(orderId, eventId, paidAt) { UtmSource = utmSource, UtmCampaign = utmCampaign });
        await staging.Baskets(prices.Select((price, i) => new Basket(orderId * 100 + (ulong)i, orderId, eventId, price, paidAt)).ToArray());
    }
}
