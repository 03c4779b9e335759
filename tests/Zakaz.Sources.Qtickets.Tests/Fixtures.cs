namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>The synthetic Qtickets responses in <c>Fixtures/</c> and what reading them yields.</summary>
internal static class Fixtures
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static readonly byte[] BuyerKeySecret = "a deployment secret for tests only"u8.ToArray();

    public static readonly LoadStamp Stamp = LoadStamp.At(new DateTimeOffset(2025, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static JsonElement Json(string name) => JsonDocument.Parse(Text(name)).RootElement;

    /// <summary>The orders of <c>orders_page1.json</c>, read by the client from the fixture folder.</summary>
    public static async Task<List<QticketsOrder>> OrdersAsync()
    {
        using var source = QticketsClient.ForFixtures(Directory);
        return await source.ListOrdersAsync(new OrderListRequest()).ToListAsync();
    }

    public static async Task<List<QticketsEvent>> EventsAsync()
    {
        using var source = QticketsClient.ForFixtures(Directory);
        return await source.ListEventsAsync().ToListAsync();
    }

    public static QticketsOrder Order(string json) => QticketsOrder.FromJson(JsonDocument.Parse(json).RootElement);
}
