namespace Zakaz.Sources.YandexDirect.Tests;

public sealed class DirectLinksTests
{
    private static readonly DirectCampaign Campaign = new(501, "c", "ON", "ACCEPTED", "TEXT_CAMPAIGN", "utm_source=yandex&utm_medium=cpc&utm_campaign={campaign_id}");

    private static DirectAd Ad(string href) => new(901, 7001, 501, "ON", "ACCEPTED", "TEXT_AD", href, "t");

    [Fact]
    public void The_group_wins_over_the_campaign_and_both_over_the_links_own_parameter()
    {
        var group = new DirectAdGroup(7001, 501, "g", "utm_medium=group&utm_content={ad_id}");

        var link = DirectLinks.Resolve(Ad("https://example.ru/tour?utm_source=site&city=msk#buy"), group, Campaign);

        Assert.Equal("https://example.ru/tour?city=msk&utm_source=yandex&utm_campaign=501&utm_medium=group&utm_content=901#buy", link);
    }

    [Fact]
    public void Known_macros_become_ids_and_others_stay()
    {
        var group = new DirectAdGroup(7001, 501, "g", "utm_term={keyword}&g={gbid}&b={banner_id}");

        var link = DirectLinks.Resolve(Ad("https://example.ru/"), group, Campaign);

        Assert.Equal("https://example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=501&utm_term={keyword}&g=7001&b=901", link);
    }

    [Fact]
    public void Without_tracking_parameters_only_the_links_macros_change_and_without_a_link_the_query_is_returned()
    {
        Assert.Equal("https://example.ru/a?utm_campaign=501&utm_content={phrase_id}",
            DirectLinks.Resolve(Ad("https://example.ru/a?utm_campaign={campaign_id}&utm_content={phrase_id}"), null, null));
        Assert.Equal("https://example.ru/a", DirectLinks.Resolve(Ad("https://example.ru/a"), new DirectAdGroup(7001, 501, "g", ""), null));
        Assert.Equal("?utm_source=yandex&utm_medium=cpc&utm_campaign=501", DirectLinks.Resolve(Ad(""), null, Campaign));
    }

    [Fact]
    public void A_tracking_parameter_replaces_the_links_own_whatever_the_case_of_its_name()
    {
        Assert.Equal("https://example.ru/?utm_source=yandex&utm_medium=cpc&utm_campaign=501",
            DirectLinks.Resolve(Ad("https://example.ru/?UTM_SOURCE=site"), null, Campaign));
    }
}
