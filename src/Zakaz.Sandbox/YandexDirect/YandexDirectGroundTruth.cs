using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox.YandexDirect;

/// <summary>
/// The account's statistics as a loader must end up with them (see <see cref="AdGroundTruth"/>): costs with VAT, city by
/// the conventions applied to each ad's effective link, campaigns by its effective <c>utm_source</c>/<c>utm_campaign</c>
/// (a <c>{campaign_id}</c> macro substituted, so that campaign is keyed by its numeric id).
/// </summary>
public sealed class YandexDirectGroundTruth : AdGroundTruth
{
    internal YandexDirectGroundTruth(DirectAccount account)
        : base(account.Spent().Select(s =>
        {
            Placement place = account.PlacementOf(s.Ad.Id);
            return (s.Date, place.City, place.UtmSource, place.UtmCampaign, new AdFigures(s.Day.Cost, s.Day.Clicks, s.Day.Impressions));
        }))
    {
    }
}
