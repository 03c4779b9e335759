using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Cities;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.Ads;

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
        MappingRule Rule(string kind, string pattern, string city, int priority = 100) => new("", kind, pattern, city, 7, priority, true, "");
        var banner = new AdFacts(AdSources.VkAds, 5, 50, 500, "Баннер", "Группа", "msk_rock_2025", new UtmValues("vk", "cpc", "msk_rock_2025", "ekb_15_03", ""));

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
            conventions.Assign(banner with { CampaignName = "NSK_jazz_2025", Utm = UtmValues.None }));
        Assert.Equal(new Assignment("unknown", 0, "none"),
            conventions.Assign(banner with { CampaignName = "Бренд", Utm = new UtmValues("vk", "", "brand_2025", "", "") }));
    }

    [Fact]
    public async Task A_rule_applies_to_its_platform_or_to_every_one_and_generic_id_kinds_match_vk_and_direct_ads_alike()
    {
        var aliases = await CityAliases.LoadAsync(schema.Store);
        var vk = new AdFacts(AdSources.VkAds, 5, 50, 500, "Баннер", "Группа", "Бренд", UtmValues.None);
        var direct = vk with { Source = AdSources.YandexDirect };
        var mapping = new CampaignMapping(
        [
            new(AdSources.YandexDirect, "campaign_id", "500", "kzn", 3, 10, true, ""),
            new("", "ad_id", "5", "spb", 4, 20, true, ""),
        ], aliases);

        Assert.Equal(new Assignment("казань", 3, "rule"), mapping.Assign(direct));
        Assert.Equal(new Assignment("санкт-петербург", 4, "rule"), mapping.Assign(vk));
        Assert.Equal(new Assignment("казань", 3, "rule"),
            new CampaignMapping([new(AdSources.YandexDirect, "ad_plan_id", "500", "kzn", 3, 10, true, "")], aliases).Assign(direct));
        Assert.Equal(new Assignment("санкт-петербург", 0, "rule"),
            new CampaignMapping([new("", "banner_id", "5", "spb", 0, 10, true, "")], aliases).Assign(direct));
    }

    [Fact]
    public async Task A_numeric_utm_campaign_from_a_campaign_id_macro_leaves_the_city_to_the_campaign_name_and_unknown_macros_are_unknown()
    {
        var conventions = new CampaignMapping([], await CityAliases.LoadAsync(schema.Store));
        var utm = UtmValues.Parse("https://spb.example/?utm_source=yandex&utm_campaign=70000123&utm_content={phrase_id}&utm_term={keyword}", null).WithoutMacros();
        var ad = new AdFacts(AdSources.YandexDirect, 9, 8, 70000123, "Объявление", "Группа", "ekb_rock_2026_search", utm);

        Assert.Equal(new UtmValues("yandex", "", "70000123", "", ""), utm);
        Assert.Equal(new Assignment("екатеринбург", 0, "campaign_name"), conventions.Assign(ad));
    }
}
