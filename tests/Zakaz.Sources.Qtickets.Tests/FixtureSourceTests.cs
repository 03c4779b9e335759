using Zakaz.Testing;

namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>The offline source (<c>--fixtures DIR</c>): the real client over a folder of recorded answers.</summary>
public sealed class FixtureSourceTests
{
    [Fact]
    public async Task Orders_are_found_in_the_single_order_file_or_in_the_order_pages()
    {
        using var source = QticketsClient.ForFixtures(Fixtures.Directory);

        Assert.Equal(5000002, (await source.GetOrderAsync(5000002))!.Id);
        Assert.Equal(5000005, (await source.GetOrderAsync(5000005))!.Id);
        Assert.Null(await source.GetOrderAsync(5999999));
    }

    [Fact]
    public async Task Seats_come_from_the_flat_file_and_an_unrecorded_show_has_unknown_inventory()
    {
        using var source = QticketsClient.ForFixtures(Fixtures.Directory);

        Assert.Equal(new ShowInventory(204, 146), await source.GetShowSeatsAsync(910001));
        Assert.Null(await source.GetShowSeatsAsync(910003));
    }

    [Fact]
    public async Task Resources_without_recordings_are_skipped_like_a_missing_route()
    {
        var log = new List<string>();
        using var source = QticketsClient.ForFixtures(Fixtures.Directory, TestLogs.Into(log));

        var discounts = await source.ListDiscountsAsync();

        Assert.True(discounts.IsSkipped);
        Assert.Empty(discounts.Items);
        Assert.StartsWith("Qtickets /discounts skipped (optional resource): Qtickets GET /discounts page 1 answered HTTP 404 with text/html", Assert.Single(log));
    }

    [Fact]
    public async Task Pages_past_the_recorded_ones_are_empty()
    {
        var directory = Directory.CreateTempSubdirectory("qtickets-fixtures-");
        try
        {
            File.Copy(Path.Combine(Fixtures.Directory, "orders_page1.json"), Path.Combine(directory.FullName, "orders_page1.json"));
            // Claim more orders than page 1 holds, so the client asks for page 2.
            var page1 = Path.Combine(directory.FullName, "orders_page1.json");
            File.WriteAllText(page1, File.ReadAllText(page1).Replace("\"total\": 7", "\"total\": 70").Replace("\"perPage\": 50", "\"perPage\": 7"));
            using var source = QticketsClient.ForFixtures(directory.FullName);

            var pages = await source.ListOrderPagesAsync(new OrderListRequest()).ToListAsync();

            Assert.Equal(7, Assert.Single(pages).Items.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_folder_is_named_at_once()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => QticketsClient.ForFixtures("/nonexistent/qtickets"));

        Assert.Contains("/nonexistent/qtickets", error.Message);
    }
}
