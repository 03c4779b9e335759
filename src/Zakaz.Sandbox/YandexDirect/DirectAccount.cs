using System.Runtime.InteropServices;
using Zakaz.Sandbox.Qtickets;
using static Zakaz.Sandbox.Qtickets.SandboxTime;

namespace Zakaz.Sandbox.YandexDirect;

/// <param name="Type">TEXT_CAMPAIGN or UNIFIED_CAMPAIGN: the name of the structure that holds <paramref name="TrackingParams"/>.</param>
internal sealed record DirectCampaign(long Id, string Name, string Type, string State, string TrackingParams, DateOnly StartDate);

internal sealed record DirectAdGroup(long Id, long CampaignId, string Name, string TrackingParams);

/// <param name="Link">The <c>Href</c> of text and text-image ads, the <c>TrackingUrl</c> of mobile app ads.</param>
internal sealed record DirectAd(long Id, long AdGroupId, long CampaignId, string Type, string State, string Title, string Link);

/// <summary>One ad-day of statistics, as a report is built from them.</summary>
internal readonly record struct ReportFact(DirectAd Ad, DateOnly Date, AdDay Day);

internal record struct AdDay(long Impressions, long Clicks, decimal Cost)
{
    /// <summary>Reports list only ad-days with impressions, clicks or cost.</summary>
    public readonly bool Shows => Impressions != 0 || Clicks != 0 || Cost != 0;
}

/// <summary>
/// The advertiser's Direct account for the Qtickets promoter generated from the same seed: for each event with sales a
/// search and a network campaign named exactly like the orders' <c>utm_campaign</c> (<c>{city}_{genre}_{year}_search</c>,
/// <c>…_rsya</c>), whose links carry the tags in different ways (the ad's <c>Href</c>, the ad group's or the campaign's
/// <c>TrackingParams</c>, id macros, and in every fourth event <c>utm_campaign={campaign_id}</c> so only the campaign's
/// name places it), an untagged ad in every third event, an archived ad with spend in every fifth; plus a brand campaign
/// no convention can place and a promo tagged only by <c>utm_content=msk_20_11</c>. A campaign's spend is a seeded
/// share of the revenue its tagged orders brought, spread from the event's first sale to its last (at most the day
/// before the anchor), in whole kopecks with VAT.
/// </summary>
internal sealed class DirectAccount
{
    public const string TextAd = "TEXT_AD";
    public const string TextImageAd = "TEXT_IMAGE_AD";
    public const string MobileAppAd = "MOBILE_APP_AD";
    private const long FirstCampaignId = 70_000_001;
    private const long FirstGroupId = 5_100_000_001;
    private const long FirstAdId = 15_200_000_001;

    /// <summary>Spend as a share of the revenue a campaign's tagged orders brought: ROAS from 0.5 to 8.</summary>
    private static readonly double[] SpendShares = [0.125, 0.25, 0.4, 0.7, 1.1, 2.0];

    private readonly Lock _gate = new();
    private readonly Dictionary<long, SortedDictionary<DateOnly, AdDay>> _days = [];
    private readonly Dictionary<long, Placement> _placements = [];

    private DirectAccount(DateOnly lastDay) => LastDay = lastDay;

    private enum LinkStyle
    {
        InHref,
        InAdGroup,
        InCampaign,
        CampaignId,
    }

    public List<DirectCampaign> Campaigns { get; } = [];

    public List<DirectAdGroup> Groups { get; } = [];

    public List<DirectAd> Ads { get; } = [];

    /// <summary>The last day with spend: the Moscow day before the anchor.</summary>
    public DateOnly LastDay { get; }

    public IReadOnlyDictionary<long, DirectCampaign> CampaignById { get; private set; } = new Dictionary<long, DirectCampaign>();

    public IReadOnlyDictionary<long, DirectAdGroup> GroupById { get; private set; } = new Dictionary<long, DirectAdGroup>();

    public Placement PlacementOf(long adId) => _placements[adId];

    public static DirectAccount Generate(int seed, int orders, long anchor)
    {
        TicketOffice office = PromoterGenerator.Generate(seed, orders, anchor);
        var account = new DirectAccount(MoscowDate(anchor).AddDays(-1));
        AdvertisedSales sales = office.Advertised(tag => tag.Source == "yandex");

        for (int i = 0; i < office.Events.Count; i++)
        {
            if (sales.FirstSale[i] == 0)
            {
                continue;
            }
            PromoterEvent e = office.Events[i];
            var random = SandboxRandom.For(seed, SandboxRandom.Purpose.YandexDirect, i);
            string site = $"https://{e.City.Subdomain}.qtickets.events/{e.Id.ToString(CultureInfo.InvariantCulture)}";
            string state = e.DeletedAt != 0 ? "ARCHIVED" : sales.LastSale[i] >= anchor - 30 * Day ? "ON" : i % 2 == 0 ? "OFF" : "SUSPENDED";
            DateOnly from = MoscowDate(sales.FirstSale[i]);
            DateOnly to = MoscowDate(sales.LastSale[i]) < account.LastDay ? MoscowDate(sales.LastSale[i]) : account.LastDay;
            int[] tags = [.. e.UtmTags.Where(t => office.UtmTags[t].Source == "yandex")];
            for (int k = 0; k < tags.Length; k++)
            {
                if (!sales.RevenueByTag.TryGetValue(tags[k], out long revenue))
                {
                    // No sale came through this tag: the promoter never ran the campaign.
                    continue;
                }
                UtmTag tag = office.UtmTags[tags[k]];
                bool search = tag.Campaign!.EndsWith("_search", StringComparison.Ordinal);
                LinkStyle style = search ? (LinkStyle)(i % 3) : i % 4 == 0 ? LinkStyle.CampaignId : (LinkStyle)((i + 1) % 3);
                (string href, string groupParams, string campaignParams) = Links(style, site, tag, search);
                var campaign = new DirectCampaign(FirstCampaignId + 2 * i + k, tag.Campaign, "TEXT_CAMPAIGN", state, campaignParams, from);
                var group = new DirectAdGroup(FirstGroupId + 4 * i + 2 * k, campaign.Id, $"{e.Name} · {(search ? "поиск" : "сети")}", groupParams);
                account.Campaigns.Add(campaign);
                account.Groups.Add(group);
                long adId = FirstAdId + 8 * i + 4 * k;
                var ads = new List<(DirectAd Ad, double Weight)>
                {
                    (new DirectAd(adId, group.Id, campaign.Id, TextAd, state, e.Name, href), 0.45),
                    (new DirectAd(adId + 1, group.Id, campaign.Id, search ? TextAd : TextImageAd, state, e.Name + ": билеты", href), 0.35),
                };
                if (search && i % 3 == 0)
                {
                    // Untagged, in a group of its own: only the campaign's name places it.
                    var untagged = new DirectAdGroup(group.Id + 1, campaign.Id, $"{e.Name} · без меток", "");
                    account.Groups.Add(untagged);
                    ads.Add((new DirectAd(adId + 2, untagged.Id, campaign.Id, TextAd, state, e.Name + " · афиша", site), 0.2));
                }
                if (!search && i % 5 == 1)
                {
                    // Archived after it had spent: its figures stay in the reports.
                    ads.Add((new DirectAd(adId + 2, group.Id, campaign.Id, TextAd, "ARCHIVED", e.Name + " · ранняя продажа", href), 0.2));
                }
                decimal budget = Math.Max(2_000m, revenue / 100m * (decimal)SpendShares[random.Next(SpendShares.Length)]);
                account.Spread(ads, budget, from, to, search, ref random);
            }
        }

        string year = account.LastDay.Year.ToString(CultureInfo.InvariantCulture);
        var extras = SandboxRandom.For(seed, SandboxRandom.Purpose.YandexDirect, -1);
        var brand = new DirectCampaign(FirstCampaignId - 1, "Бренд промоутера", "UNIFIED_CAMPAIGN", "ON",
            $"utm_source=yandex&utm_medium=cpc&utm_campaign=brand_{year}", account.LastDay.AddDays(-119));
        var brandGroup = new DirectAdGroup(FirstGroupId - 1, brand.Id, "Бренд · все", "");
        account.Campaigns.Add(brand);
        account.Groups.Add(brandGroup);
        account.Spread(
        [
            (new DirectAd(FirstAdId - 1, brandGroup.Id, brand.Id, TextAd, "ON", "Промоутер: все концерты", "https://promoter.example/"), 0.6),
            (new DirectAd(FirstAdId - 2, brandGroup.Id, brand.Id, MobileAppAd, "ON", "Билеты в приложении",
                "https://redirect.appmetrica.yandex.com/serve/1179?click_id={logid}"), 0.4),
        ], 2_500m * 120, brand.StartDate, account.LastDay, search: false, ref extras);
        var promo = new DirectCampaign(FirstCampaignId - 2, "Осенняя распродажа", "TEXT_CAMPAIGN", "ON", "", account.LastDay.AddDays(-59));
        var promoGroup = new DirectAdGroup(FirstGroupId - 2, promo.Id, "Распродажа · Москва", "");
        account.Campaigns.Add(promo);
        account.Groups.Add(promoGroup);
        account.Spread(
        [
            (new DirectAd(FirstAdId - 3, promoGroup.Id, promo.Id, TextAd, "ON", "Осенняя распродажа билетов",
                "https://moscow.qtickets.events/?utm_source=yandex&utm_medium=cpc&utm_campaign=promo_autumn&utm_content=msk_20_11"), 1),
        ], 1_200m * 60, promo.StartDate, account.LastDay, search: true, ref extras);

        account.CampaignById = account.Campaigns.ToDictionary(c => c.Id);
        account.GroupById = account.Groups.ToDictionary(g => g.Id);
        foreach (DirectAd ad in account.Ads)
        {
            account._placements[ad.Id] = EffectiveLink.Place(account.CampaignById[ad.CampaignId], account.GroupById[ad.AdGroupId], ad);
        }
        return account;
    }

    /// <summary>
    /// A late correction of one ad-day, as Direct makes when it filters invalid clicks or refunds money. A cost of 0
    /// withdraws the whole day (its row disappears from the reports, whatever impressions and clicks were given).
    /// </summary>
    public void Restate(long adId, DateOnly date, AdDay day)
    {
        if (!_placements.ContainsKey(adId))
        {
            throw new KeyNotFoundException($"No ad {adId}.");
        }
        _gate.Locked(() =>
        {
            SortedDictionary<DateOnly, AdDay> days = CollectionsMarshal.GetValueRefOrAddDefault(_days, adId, out _) ??= [];
            if (day.Cost == 0)
            {
                days.Remove(date);
                return;
            }
            days[date] = day;
        });
    }

    /// <summary>Every ad-day a report lists, ordered by date and ad.</summary>
    public List<ReportFact> Spent()
    {
        var byId = Ads.ToDictionary(a => a.Id);
        return _gate.Locked(() => _days
            .SelectMany(a => a.Value.Where(d => d.Value.Shows).Select(d => new ReportFact(byId[a.Key], d.Key, d.Value)))
            .OrderBy(f => f.Date).ThenBy(f => f.Ad.Id)
            .ToList());
    }

    /// <summary>The ad's link and the tracking parameters of its group and campaign, one way of tagging per style.</summary>
    private static (string Href, string GroupParams, string CampaignParams) Links(LinkStyle style, string site, UtmTag tag, bool search)
    {
        string term = search ? "&utm_term={keyword}" : "";
        return style switch
        {
            LinkStyle.InHref => ($"{site}?utm_source=yandex&utm_medium=cpc&utm_campaign={tag.Campaign}&utm_content={tag.Content}{term}", "", ""),
            LinkStyle.InAdGroup => (site, $"utm_source=yandex&utm_medium=cpc&utm_campaign={tag.Campaign}&utm_content={{ad_id}}{term}", ""),
            // The group's utm_medium overrides the campaign's.
            LinkStyle.InCampaign => ($"{site}?utm_content={tag.Content}", "utm_medium=cpc" + term,
                $"utm_source=yandex&utm_medium=display&utm_campaign={tag.Campaign}"),
            _ => (site, "", "utm_source=yandex&utm_medium=cpc&utm_campaign={campaign_id}&utm_content={banner_id}" + term),
        };
    }

    /// <summary>
    /// Spreads a budget over the days and ads with day-to-day noise and a few idle ad-days (no row at all); figures are
    /// whole kopecks, clicks follow a per-ad cost per click and impressions a per-ad CTR (search ads click more).
    /// </summary>
    private void Spread(List<(DirectAd Ad, double Weight)> ads, decimal budget, DateOnly from, DateOnly to, bool search, ref SandboxRandom random)
    {
        Ads.AddRange(ads.Select(a => a.Ad));
        if (to < from)
        {
            return;
        }
        var daily = new DailyBudget(budget, ads.Sum(a => a.Weight), from, to, 0.4,
            day => day.DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday ? 1.6 : 1.0, ref random);
        foreach ((DirectAd ad, double weight) in ads)
        {
            decimal costPerClick = 9 + random.Next(0, 35);
            double ctr = search ? 0.03 + random.NextDouble() * 0.07 : 0.002 + random.NextDouble() * 0.008;
            var days = new SortedDictionary<DateOnly, AdDay>();
            for (int d = 0; d < daily.Days; d++)
            {
                if (random.Chance(0.06))
                {
                    continue;
                }
                decimal cost = daily.Share(weight, d);
                long clicks = (long)Math.Round(cost / costPerClick);
                days[from.AddDays(d)] = new AdDay((long)Math.Round(Math.Max(clicks, 0.3) / ctr), clicks, cost);
            }
            _days[ad.Id] = days;
        }
    }
}
