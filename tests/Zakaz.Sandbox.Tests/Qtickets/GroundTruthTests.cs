using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

[Collection(SandboxCollection.Name)]
public sealed class GroundTruthTests(SandboxFixture fixture)
{
    private ApiClient Api => fixture.Api;

    [Fact]
    public async Task Truth_equals_the_spec_rules_applied_to_the_served_pages()
    {
        List<JsonElement> orders = await Api.AllAsync("/orders");
        List<JsonElement> events = await Api.AllAsync("/events");
        QticketsGroundTruth truth = Api.Sandbox.Truth;

        var expected = SpecCalculator.Compute(orders, events);

        Assert.Equal(expected.PaidOrders, truth.PaidOrders);
        Assert.Equal(expected.CancelledOrders, truth.CancelledOrders);
        Assert.Equal(expected.RefundedAmount, truth.RefundedAmount);
        Assert.Equal(expected.Groups.OrderBy(g => g.Key), SpecCalculator.GroupsOf(truth).OrderBy(g => g.Key));
        Assert.Equal(expected.Events.OrderBy(e => e.Key), truth.Events.OrderBy(e => e.Key));
    }

    [Fact]
    public async Task Inventory_equals_the_flat_seats_of_every_live_show()
    {
        List<JsonElement> events = await Api.AllAsync("/events");
        int[] liveShows = [.. events.SelectMany(e => e.GetProperty("shows").EnumerateArray())
            .Where(s => s.GetProperty("deleted_at").ValueKind == JsonValueKind.Null)
            .Select(s => s.GetProperty("id").GetInt32())];
        var served = new Dictionary<int, QticketsShowInventory>();
        foreach (int show in liveShows)
        {
            JsonElement seats = await Api.JsonAsync($"/shows/{show}/seats", new { flat = true, select = new[] { "id" } });
            served[show] = SpecCalculator.Inventory(seats.GetProperty("data"));
        }

        Assert.Equal(served.OrderBy(s => s.Key), Api.Sandbox.Truth.Inventory.OrderBy(s => s.Key));
        Assert.All(served.Values, inventory => Assert.InRange(inventory.Left, 0, inventory.Capacity));
    }

    [Fact]
    public async Task Generated_data_has_the_real_tenants_quirks()
    {
        List<JsonElement> orders = await Api.AllAsync("/orders");
        List<JsonElement> events = await Api.AllAsync("/events");
        JsonElement[] baskets = [.. orders.SelectMany(o => o.GetProperty("baskets").EnumerateArray())];

        Assert.True(events.Select(e => e.GetProperty("city").GetProperty("name").GetString()).Distinct().Count() >= 10);
        Assert.Contains(events, e => e.GetProperty("city").GetProperty("name").GetString() == "Ростов-на-Дону");
        // A deleted event that still has paid orders, and a deleted show in a live event.
        JsonElement deletedEvent = Assert.Single(events, e => e.GetProperty("deleted_at").ValueKind != JsonValueKind.Null);
        Assert.Equal(0, deletedEvent.GetProperty("is_active").GetInt32());
        Assert.Contains(orders, o => o.GetProperty("event_id").GetInt64() == deletedEvent.GetProperty("id").GetInt64() &&
            o.GetProperty("payed").GetBoolean());
        Assert.Contains(events, e => e.GetProperty("deleted_at").ValueKind == JsonValueKind.Null &&
            e.GetProperty("shows").EnumerateArray().Any(s => s.GetProperty("deleted_at").ValueKind != JsonValueKind.Null));
        // Shows past and future.
        Assert.Contains(events, e => e.GetProperty("shows").EnumerateArray().Any(s => Time(s, "start_date") < SandboxFixture.Anchor));
        Assert.Contains(events, e => e.GetProperty("shows").EnumerateArray().Any(s => Time(s, "start_date") > SandboxFixture.Anchor));

        // About 10% cancelled unpaid orders, all of whose baskets are deleted without a barcode.
        JsonElement[] cancelled = [.. orders.Where(o => !o.GetProperty("payed").GetBoolean() &&
            o.GetProperty("deleted_at").ValueKind != JsonValueKind.Null)];
        Assert.InRange(cancelled.Length, orders.Count * 0.07, orders.Count * 0.13);
        Assert.All(cancelled.SelectMany(o => o.GetProperty("baskets").EnumerateArray()), b =>
        {
            Assert.NotEqual(JsonValueKind.Null, b.GetProperty("deleted_at").ValueKind);
            Assert.Equal(JsonValueKind.Null, b.GetProperty("barcode").ValueKind);
            Assert.Equal(0, b.GetProperty("ticket_amount").GetDecimal());
        });
        // UTM: untagged as [], tagged with campaigns that carry a city code.
        Assert.InRange(orders.Count(o => o.GetProperty("utm").ValueKind == JsonValueKind.Array), orders.Count * 0.25, orders.Count * 0.5);
        string[] sources = [.. orders.Select(o => o.GetProperty("utm")).Where(u => u.ValueKind == JsonValueKind.Object)
            .Select(u => u.GetProperty("utm_source").GetString()!).Distinct()];
        Assert.Superset(new HashSet<string> { "vk", "yandex", "telegram" }, sources.ToHashSet());
        Assert.Contains(orders, o => o.GetProperty("utm").ValueKind == JsonValueKind.Object &&
            o.GetProperty("utm").TryGetProperty("utm_campaign", out JsonElement c) && c.GetString()!.StartsWith("msk_", StringComparison.Ordinal));
        Assert.Contains(orders, o => o.GetProperty("utm").ValueKind == JsonValueKind.Object && o.GetProperty("utm").TryGetProperty("utm_content", out _));
        // Refunds, discounts, free tickets, shared admission seats.
        Assert.Contains(baskets, b => b.GetProperty("refunded_at").ValueKind != JsonValueKind.Null &&
            b.GetProperty("refunded_amount").GetDecimal() == b.GetProperty("price").GetDecimal());
        Assert.Contains(baskets, b => b.GetProperty("price").GetDecimal() < b.GetProperty("original_price").GetDecimal() &&
            b.GetProperty("price").GetDecimal() > 0);
        Assert.Contains(orders, o => o.GetProperty("payed").GetBoolean() && o.GetProperty("price").GetDecimal() == 0 &&
            o.GetProperty("promo_code_id").ValueKind == JsonValueKind.Number);
        Assert.Contains(orders, o => o.GetProperty("baskets").EnumerateArray()
            .GroupBy(b => b.GetProperty("seat_id").GetString()).Any(g => g.Count() > 1));
        Assert.All(orders, o => Assert.InRange(o.GetProperty("baskets").GetArrayLength(), 1, 4));
        // Wire formats: +03:00 timestamps, ascending ids, personal data present.
        Assert.All(orders, o => Assert.EndsWith("+03:00", o.GetProperty("created_at").GetString(), StringComparison.Ordinal));
        long[] ids = [.. orders.Select(o => o.GetProperty("id").GetInt64())];
        Assert.Equal([.. ids.Order()], ids);
        Assert.All(orders, o => Assert.Contains("@", o.GetProperty("client").GetProperty("email").GetString(), StringComparison.Ordinal));
        Assert.All(orders, o => Assert.True(Time(o, "created_at") <= SandboxFixture.Anchor));
    }

    [Fact]
    public async Task Same_seed_and_anchor_give_the_same_promoter_and_another_seed_does_not()
    {
        QticketsSandboxOptions options = SandboxFixture.Options with { Orders = 400 };
        await using QticketsSandbox first = await QticketsSandbox.StartAsync(options);
        await using QticketsSandbox second = await QticketsSandbox.StartAsync(options);
        await using QticketsSandbox other = await QticketsSandbox.StartAsync(options with { Seed = 43 });

        string[] a = await PagesAsync(first);
        string[] b = await PagesAsync(second);
        string[] c = await PagesAsync(other);

        Assert.Equal(a, b);
        Assert.Equal(first.Truth.ToJson(), second.Truth.ToJson());
        Assert.NotEqual(a[0], c[0]);
        Assert.NotEqual(first.Truth.ToJson(), other.Truth.ToJson());
    }

    [Fact]
    public async Task Scales_to_the_real_tenants_126000_orders()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(SandboxFixture.Options with { Orders = 126_000 });
        using var api = new ApiClient(sandbox);

        JsonElement last = await api.JsonAsync("/orders", new { page = 2520 });
        JsonElement beyond = await api.JsonAsync("/orders", new { page = 2521 });
        JsonElement newest = await api.JsonAsync("/orders", new { orderBy = new { id = "desc" } });

        Assert.Equal(126_000, last.GetProperty("paging").GetProperty("total").GetInt32());
        Assert.Equal(50, last.GetProperty("data").GetArrayLength());
        Assert.Equal(0, beyond.GetProperty("data").GetArrayLength());
        Assert.Equal(last.GetProperty("data")[49].GetRawText(), newest.GetProperty("data")[0].GetRawText());
        Assert.True(sandbox.EventCount >= 100);
        Assert.InRange(sandbox.Truth.PaidOrders, 126_000 * 0.85, 126_000 * 0.95);
    }

    private static async Task<string[]> PagesAsync(QticketsSandbox sandbox)
    {
        using var api = new ApiClient(sandbox);
        var pages = new List<string>();
        foreach (string path in new[] { "/orders", "/events", "/discounts", "/promo-codes" })
        {
            pages.AddRange((await api.AllAsync(path)).Select(item => item.GetRawText()));
        }
        return [.. pages];
    }

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
