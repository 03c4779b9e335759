using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.VkAds;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.VkAds;

/// <summary>The mapping's order of precedence and UTM reading, with the seeded city aliases of the real schema.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class CampaignMappingTests(ZakazSchemaFixture schema)
{
    [Fact]
    public void Utm_values_are_decoded_trimmed_lower_cased_and_completed_by_the_ad_group()
    {
        var utm = UtmValues.Parse("https://x.example/e/1?utm_source=VK&utm_campaign=%20Msk_Rock_2025&utm_term=%D0%90%D1%84%D0%B8%D1%88%D0%B0+#top",
            "utm_medium=CPC&utm_source=ignored");

        Assert.Equal(new UtmValues("vk", "cpc", "msk_rock_2025", "", "афиша"), utm);
        Assert.Equal(UtmValues.None, UtmValues.Parse("https://vk.com/promoter", ""));
    }

    [Fact]
    public async Task Rules_win_by_priority_then_specificity_then_the_conventions_apply_in_order()
    {
        var aliases = await CityAliases.LoadAsync(schema.Store);
        MappingRule Rule(string kind, string pattern, string city, int priority = 100) => new(kind, pattern, city, 7, priority, true, "");
        var banner = new BannerFacts(5, 50, 500, "Баннер", "Группа", "msk_rock_2025", new UtmValues("vk", "cpc", "msk_rock_2025", "ekb_15_03", ""));

        Assert.Equal(new Assignment("казань", 7, "rule"),
            new CampaignMapping([Rule("utm_campaign", "msk_rock_2025", "spb"), Rule("banner_id", "5", "kzn")], aliases).Assign(banner));
        Assert.Equal(new Assignment("санкт-петербург", 7, "rule"),
            new CampaignMapping([Rule("utm_campaign", "msk_rock_2025", "spb", priority: 1), Rule("banner_id", "5", "kzn")], aliases).Assign(banner));
        Assert.Equal(new Assignment("москва", 7, "rule"),
            new CampaignMapping([Rule("name", "груп%", "msk"), Rule("banner_id", "6", "kzn") with { Active = false }], aliases).Assign(banner));

        var conventions = new CampaignMapping([], aliases);
        Assert.Equal(new Assignment("екатеринбург", 0, "utm_content"), conventions.Assign(banner));
        Assert.Equal(new Assignment("москва", 0, "utm_campaign"), conventions.Assign(banner with { Utm = banner.Utm with { Content = "1553100011" } }));
        Assert.Equal(new Assignment("новосибирск", 0, "campaign_name"),
            conventions.Assign(banner with { AdPlanName = "NSK_jazz_2025", Utm = UtmValues.None }));
        Assert.Equal(new Assignment("unknown", 0, "none"),
            conventions.Assign(banner with { AdPlanName = "Бренд", Utm = new UtmValues("vk", "", "brand_2025", "", "") }));
    }
}
