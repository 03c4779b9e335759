using System.Net;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Sandbox.Tests.YandexDirect;

[Collection(DirectCollection.Name)]
public sealed class ObjectTests(DirectFixture fixture)
{
    private readonly DirectClient _client = fixture.Client;

    [Theory]
    [InlineData("campaigns")]
    [InlineData("reports")]
    public async Task Any_other_token_is_error_53_without_the_token_in_the_answer(string service)
    {
        using HttpResponseMessage response = await _client.PostAsync(service, new { method = "get", @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } } },
            token: "y0_someone-else");
        JsonElement error = await DirectClient.ErrorAsync(response);

        Assert.Equal(service == "reports" ? HttpStatusCode.BadRequest : HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(53, error.GetProperty("error_code").GetInt32());
        Assert.DoesNotContain("someone-else", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agency_token_needs_the_clients_login_and_error_54_names_it()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, AgencyLogin = "promoter-client" });
        using var client = new DirectClient(sandbox);
        object body = new { method = "get", @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } } };

        using HttpResponseMessage missing = await client.PostAsync("campaigns", body);
        using HttpResponseMessage other = await client.PostAsync("campaigns", body, headers: new Dictionary<string, string> { ["Client-Login"] = "stranger" });
        JsonElement result = await client.GetAsync("campaigns", new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } },
            new Dictionary<string, string> { ["Client-Login"] = "promoter-client" });

        JsonElement missingError = await DirectClient.ErrorAsync(missing);
        JsonElement otherError = await DirectClient.ErrorAsync(other);
        Assert.Equal(54, missingError.GetProperty("error_code").GetInt32());
        Assert.Contains("promoter-client", missingError.GetProperty("error_detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(54, otherError.GetProperty("error_code").GetInt32());
        Assert.Contains("stranger", otherError.GetProperty("error_detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(sandbox.CampaignCount, result.GetProperty("Campaigns").GetArrayLength());
    }

    [Fact]
    public async Task Pages_end_where_LimitedBy_is_absent_and_the_sandbox_may_cut_the_asked_limit()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, MaxPageLimit = 3 });
        using var client = new DirectClient(sandbox);
        var ids = new List<long>();
        var limitedBy = new List<int>();
        int offset = 0;
        while (true)
        {
            JsonElement result = await client.GetAsync("campaigns",
                new { SelectionCriteria = new { }, FieldNames = new[] { "Id" }, Page = new { Limit = 10_000, Offset = offset } });
            JsonElement[] page = [.. result.GetProperty("Campaigns").EnumerateArray()];
            Assert.InRange(page.Length, 1, 3);
            ids.AddRange(page.Select(c => c.GetProperty("Id").GetInt64()));
            if (!result.TryGetProperty("LimitedBy", out JsonElement next))
            {
                break;
            }
            limitedBy.Add(next.GetInt32());
            offset = next.GetInt32();
        }

        Assert.True(sandbox.CampaignCount > 3, "The test needs more than one page.");
        Assert.Equal(sandbox.CampaignCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, limitedBy.Count).Select(n => 3 * n), limitedBy);
    }

    [Fact]
    public async Task Only_the_requested_fields_come_back_with_the_type_structures_asked_for()
    {
        using HttpResponseMessage response = await _client.PostAsync("campaigns", new
        {
            method = "get",
            @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Name", "Id" }, TextCampaignFieldNames = new[] { "TrackingParams" } },
        });
        JsonElement[] campaigns = [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("Campaigns").EnumerateArray()];
        JsonElement plain = (await _client.GetAsync("campaigns", new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } })).GetProperty("Campaigns")[0];

        Assert.Matches(@"^\d+/\d+/\d+$", response.Headers.GetValues("Units").Single());
        Assert.NotEmpty(response.Headers.GetValues("RequestId").Single());
        // The brand campaign is a unified one: its tracking parameters sit in UnifiedCampaign, not asked for here.
        Assert.Equal(campaigns.Length - 1, campaigns.Count(c => c.EnumerateObject().Select(p => p.Name).SequenceEqual(["Name", "Id", "TextCampaign"])));
        Assert.Single(campaigns, c => c.EnumerateObject().Select(p => p.Name).SequenceEqual(["Name", "Id"]));
        Assert.Contains(campaigns, c => c.GetProperty("TextCampaign").GetProperty("TrackingParams").GetString()?.Contains("utm_campaign={campaign_id}", StringComparison.Ordinal) == true);
        Assert.Equal(["Id"], plain.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Ads_come_in_every_state_with_their_links_and_a_state_filter_narrows_them()
    {
        long[] campaignIds = [.. (await _client.GetAsync("campaigns", new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } }))
            .GetProperty("Campaigns").EnumerateArray().Select(c => c.GetProperty("Id").GetInt64())];
        JsonElement[] ads = [.. (await _client.GetAsync("ads", new
        {
            SelectionCriteria = new { CampaignIds = campaignIds },
            FieldNames = new[] { "Id", "State", "Type" },
            TextAdFieldNames = new[] { "Href" },
            MobileAppAdFieldNames = new[] { "TrackingUrl" },
        })).GetProperty("Ads").EnumerateArray()];
        JsonElement[] archived = [.. (await _client.GetAsync("ads", new
        {
            SelectionCriteria = new { CampaignIds = campaignIds, States = new[] { "ARCHIVED" } },
            FieldNames = new[] { "Id", "State" },
        })).GetProperty("Ads").EnumerateArray()];
        using HttpResponseMessage unselected = await _client.PostAsync("ads", new { method = "get", @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } } });

        Assert.Equal(fixture.Sandbox.AdCount, ads.Length);
        Assert.Contains(ads, a => a.GetProperty("State").GetString() == "ON");
        Assert.Contains(ads, a => a.GetProperty("State").GetString() == "ARCHIVED");
        Assert.Contains(ads, a => a.GetProperty("Type").GetString() == "TEXT_IMAGE_AD" && !a.TryGetProperty("TextAd", out _));
        Assert.Contains(ads, a => a.TryGetProperty("MobileAppAd", out JsonElement app) && app.GetProperty("TrackingUrl").GetString()!.StartsWith("https://", StringComparison.Ordinal));
        Assert.Contains(ads, a => a.TryGetProperty("TextAd", out JsonElement text) && text.GetProperty("Href").GetString()!.Contains("utm_source=yandex", StringComparison.Ordinal));
        Assert.NotEmpty(archived);
        Assert.All(archived, a => Assert.Equal("ARCHIVED", a.GetProperty("State").GetString()));
        Assert.Equal(8000, (await DirectClient.ErrorAsync(unselected)).GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task Campaigns_are_named_like_the_yandex_utm_campaign_of_the_orders_of_the_same_promoter()
    {
        var office = Sandbox.Qtickets.PromoterGenerator.Generate(DirectClient.Options.Seed, DirectClient.Options.Orders, DirectClient.Anchor.ToUnixTimeSeconds());
        HashSet<string> tagged = [.. office.Orders.ToArray()
            .Where(o => o.IsSale && o.UtmIndex >= 0 && office.UtmTags[o.UtmIndex].Source == "yandex")
            .Select(o => office.UtmTags[o.UtmIndex].Campaign!)];
        string[] names = [.. (await _client.GetAsync("campaigns", new { SelectionCriteria = new { }, FieldNames = new[] { "Name" } }))
            .GetProperty("Campaigns").EnumerateArray().Select(c => c.GetProperty("Name").GetString()!)];

        string[] eventCampaigns = [.. names.Where(n => n.EndsWith("_search", StringComparison.Ordinal) || n.EndsWith("_rsya", StringComparison.Ordinal))];
        Assert.True(tagged.Count > 10);
        Assert.Equal(tagged.Order(StringComparer.Ordinal), eventCampaigns.Order(StringComparer.Ordinal));
        Assert.Equal(names.Length - 2, eventCampaigns.Length);
    }
}
