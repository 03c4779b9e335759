using System.Text.Json.Nodes;
using static Zakaz.Sources.YandexDirect.Tests.Direct;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>The object services over real HTTP: paging by LimitedBy, every state, type-specific links, headers, Units.</summary>
public sealed class ObjectTests
{
    [Fact]
    public async Task Pages_campaigns_by_LimitedBy_over_three_pages_and_records_Units()
    {
        await using var server = await ScriptedDirect.StartAsync();
        var campaigns = Enumerable.Range(1, 7).Select(i => (JsonNode)new JsonObject
        {
            ["Id"] = 100 + i,
            ["Name"] = $"Campaign {i}",
            ["State"] = i == 7 ? "ARCHIVED" : "ON",
            ["Status"] = "ACCEPTED",
            ["Type"] = i == 2 ? "UNIFIED_CAMPAIGN" : "TEXT_CAMPAIGN",
            [i == 2 ? "UnifiedCampaign" : "TextCampaign"] = new JsonObject { ["TrackingParams"] = $"utm_source=yandex&utm_campaign=c{i}" },
        }).ToList();
        server.Respond("campaigns", r =>
        {
            var offset = (int)r.Params["Page"]!["Offset"]!;
            // Fewer than the asked-for limit, as a server may send: the next offset comes from LimitedBy, not the limit.
            var page = campaigns.Skip(offset).Take(Math.Min(3, (int)r.Params["Page"]!["Limit"]!)).ToList();
            // LimitedBy: the number of the last object returned, present while more remain.
            return Answer.Result("Campaigns", page, offset + page.Count < campaigns.Count ? offset + page.Count : null, units: $"{10 + offset}/20000/20000");
        });
        using var client = Client(server, adjust: o => new YandexDirectClientOptions { BaseUrl = o.BaseUrl, Token = o.Token, PageLimit = 5 });

        var read = await client.ListCampaignsAsync();

        Assert.Equal(Enumerable.Range(101, 7), read.Select(c => (int)c.Id));
        Assert.Equal([0, 3, 6], server.Requests.Select(r => (int)r.Params["Page"]!["Offset"]!));
        Assert.Equal(new DirectCampaign(102, "Campaign 2", "ON", "ACCEPTED", "UNIFIED_CAMPAIGN", "utm_source=yandex&utm_campaign=c2"), read[1]);
        Assert.Equal("ARCHIVED", read[6].State);
        Assert.Equal("16/20000/20000", client.Units);
        var p = server.Requests[0].Params;
        Assert.Empty(p["SelectionCriteria"]!.AsObject());
        Assert.Equal(["Id", "Name", "State", "Status", "Type"], p["FieldNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["TrackingParams"], p["TextCampaignFieldNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("get", (string)server.Requests[0].Json["method"]!);
        Assert.All(server.Requests, r => Assert.Equal(5, (int)r.Params["Page"]!["Limit"]!));
    }

    [Fact]
    public async Task Reads_ad_groups_and_ads_of_every_state_ten_campaigns_a_call_with_each_types_link()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("adgroups", r => Answer.Result("AdGroups", r.Params["SelectionCriteria"]!["CampaignIds"]!.AsArray().Select(id => (JsonNode)new JsonObject
        {
            ["Id"] = (long)id! * 10,
            ["Name"] = $"Group of {id}",
            ["CampaignId"] = (long)id!,
            ["TrackingParams"] = (long)id! == 1 ? null : "utm_content={gbid}",
        })));
        server.Respond("ads", r => r.Params["SelectionCriteria"]!["CampaignIds"]!.AsArray().Select(n => (long)n!).Contains(1)
            ? Answer.Result("Ads",
            [
                new JsonObject { ["Id"] = 11, ["AdGroupId"] = 10, ["CampaignId"] = 1, ["State"] = "ARCHIVED", ["Status"] = "ACCEPTED", ["Type"] = "TEXT_AD",
                    ["TextAd"] = new JsonObject { ["Href"] = "https://example.ru/?utm_source=ya", ["Title"] = "Concert" } },
                new JsonObject { ["Id"] = 12, ["AdGroupId"] = 10, ["CampaignId"] = 1, ["State"] = "OFF", ["Status"] = "DRAFT", ["Type"] = "IMAGE_AD",
                    ["TextImageAd"] = new JsonObject { ["Href"] = "https://example.ru/image" } },
                new JsonObject { ["Id"] = 13, ["AdGroupId"] = 10, ["CampaignId"] = 1, ["State"] = "ON", ["Status"] = "ACCEPTED", ["Type"] = "MOBILE_APP_AD",
                    ["MobileAppAd"] = new JsonObject { ["TrackingUrl"] = "https://app.adjust.com/x" } },
                new JsonObject { ["Id"] = 14, ["AdGroupId"] = 10, ["CampaignId"] = 1, ["State"] = "ON", ["Status"] = "ACCEPTED", ["Type"] = "TEXT_AD",
                    ["TextAd"] = new JsonObject { ["Href"] = null, ["Title"] = "No link" } },
            ])
            : Answer.Result("Ads", []));
        using var client = Client(server);
        var ids = Enumerable.Range(1, 23).Select(i => (long)i).Reverse().ToArray();

        var groups = await client.ListAdGroupsAsync(ids);
        var ads = await client.ListAdsAsync(ids);

        Assert.Equal(23, groups.Count);
        Assert.Equal(new DirectAdGroup(10, 1, "Group of 1", ""), groups[0]);
        Assert.Equal("utm_content={gbid}", groups[1].TrackingParams);
        var calls = server.Requests.Where(r => r.Service == "adgroups").Select(r => r.Params["SelectionCriteria"]!["CampaignIds"]!.AsArray().Count).ToArray();
        Assert.Equal([10, 10, 3], calls);
        Assert.Equal(
            [
                new DirectAd(11, 10, 1, "ARCHIVED", "ACCEPTED", "TEXT_AD", "https://example.ru/?utm_source=ya", "Concert"),
                new DirectAd(12, 10, 1, "OFF", "DRAFT", "IMAGE_AD", "https://example.ru/image", ""),
                new DirectAd(13, 10, 1, "ON", "ACCEPTED", "MOBILE_APP_AD", "https://app.adjust.com/x", ""),
                new DirectAd(14, 10, 1, "ON", "ACCEPTED", "TEXT_AD", "", "No link"),
            ],
            ads);
        var adsRequest = server.Requests.First(r => r.Service == "ads").Params;
        Assert.Null(adsRequest["SelectionCriteria"]!["States"]);
        Assert.Equal(["Href", "Title"], adsRequest["TextAdFieldNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["TrackingUrl"], adsRequest["MobileAppAdFieldNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["Id", "Name", "CampaignId", "TrackingParams"],
            server.Requests.First(r => r.Service == "adgroups").Params["FieldNames"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task A_502_from_an_object_service_is_retried_not_split()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("campaigns", new Answer(502, "<html>Bad Gateway</html>", "text/html"), Answer.Result("Campaigns", [], units: "5/100/100"));
        using var client = Client(server);

        Assert.Empty(await client.ListCampaignsAsync());

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("5/100/100", client.Units);
    }

    [Fact]
    public async Task No_campaigns_means_no_calls()
    {
        await using var server = await ScriptedDirect.StartAsync();
        using var client = Client(server);

        Assert.Empty(await client.ListAdGroupsAsync([]));
        Assert.Empty(await client.ListAdsAsync([]));
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("agency-client-7")]
    [InlineData(null)]
    public async Task Sends_Client_Login_only_when_set_and_keeps_the_base_path_with_or_without_its_slash(string? login)
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("campaigns", _ => Answer.Result("Campaigns", []));
        using var client = Client(server, clientLogin: login, baseUrl: new Uri(server.BaseUrl.AbsoluteUri.TrimEnd('/')));

        await client.CheckAccessAsync();
        await client.ListCampaignsAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("campaigns", r.Service);
            Assert.Equal(login, r.Header("Client-Login"));
            Assert.Equal($"Bearer {Token}", r.Header("Authorization"));
            Assert.Equal("ru", r.Header("Accept-Language"));
        });
        Assert.Equal(1, (int)server.Requests[0].Params["Page"]!["Limit"]!);
    }

    [Fact]
    public async Task An_error_in_a_200_answer_is_an_error_and_a_transient_one_is_retried()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("campaigns", Answer.Error(200, 506, "Превышено ограничение на количество одновременных соединений"), Answer.Result("Campaigns", []));
        server.Script("ads", Answer.Error(200, 8000, "Неверный запрос", "Параметр SelectionCriteria задан неверно"));
        using var client = Client(server);

        Assert.Empty(await client.ListCampaignsAsync());
        var error = await Assert.ThrowsAsync<YandexDirectException>(() => client.ListAdsAsync([1]));

        Assert.IsNotType<YandexDirectAuthException>(error);
        Assert.Equal(8000, error.ErrorCode);
        Assert.Contains("POST ads: error 8000 Неверный запрос (Параметр SelectionCriteria задан неверно)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, client.Requests);
    }
}
