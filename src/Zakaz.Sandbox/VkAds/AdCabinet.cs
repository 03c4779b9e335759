using System.Runtime.InteropServices;
using Zakaz.Sandbox.Qtickets;
using static Zakaz.Sandbox.Qtickets.SandboxTime;

namespace Zakaz.Sandbox.VkAds;

internal sealed record AdPlan(long Id, string Name, string Status);

internal sealed record AdGroup(long Id, long AdPlanId, string Name, string Status, string Utm);

/// <summary>A banner and the city the README's mapping conventions give it ("unknown" when none does).</summary>
internal sealed record Banner(long Id, long AdGroupId, string Name, string Status, string Url, string City, string UtmSource, string UtmCampaign);

internal record struct DayStat(long Shows, long Clicks, decimal Spent);

/// <summary>
/// The advertiser's cabinet: one campaign per event of the Qtickets promoter generated from the same seed, named like
/// the orders' <c>utm_campaign</c> (<c>{city}_{genre}_{year}</c>), with banners whose links carry the orders' UTM
/// tags (two in the URL, one through the ad group's <c>utm</c>), an untagged banner in every third campaign, a brand
/// campaign no convention can place (its spend is <c>unknown</c>) and a promo tagged only by <c>utm_content=spb_15_03</c>.
/// Spend per campaign is a seeded multiple of the revenue its tagged orders brought: some campaigns pay off, some not.
/// </summary>
internal sealed class AdCabinet
{
    public const long AccountId = 9_000_001;
    private const long FirstPlanId = 12_000_001;
    private const long FirstGroupId = 13_000_001;
    private const long FirstBannerId = 14_000_001;

    /// <summary>Spend as a share of the revenue a campaign's tagged orders brought: ROAS from 0.4 to 6.7.</summary>
    private static readonly double[] SpendShares = [0.15, 0.3, 0.5, 0.8, 1.4, 2.5];

    private readonly Lock _gate = new();
    private readonly Dictionary<long, SortedDictionary<DateOnly, DayStat>> _stats = [];

    private AdCabinet(DateOnly lastDay) => LastDay = lastDay;

    public List<AdPlan> Plans { get; } = [];

    public List<AdGroup> Groups { get; } = [];

    public List<Banner> Banners { get; } = [];

    /// <summary>The last day with spend: the Moscow day before the anchor.</summary>
    public DateOnly LastDay { get; }

    public static AdCabinet Generate(int seed, int orders, long anchor)
    {
        TicketOffice office = PromoterGenerator.Generate(seed, orders, anchor);
        var cabinet = new AdCabinet(MoscowDate(anchor).AddDays(-1));
        // Every event has UTM tags of its own, so its campaign's revenue is what its VK tags brought.
        AdvertisedSales sales = office.Advertised(tag => tag.Campaign is not null && tag.Source.Equals("vk", StringComparison.OrdinalIgnoreCase));

        for (int i = 0; i < office.Events.Count; i++)
        {
            PromoterEvent e = office.Events[i];
            if (sales.FirstSale[i] == 0)
            {
                continue;
            }
            var random = SandboxRandom.For(seed, SandboxRandom.Purpose.AdCabinet, i);
            string campaign = office.UtmTags[e.UtmTags[0]].Campaign!;
            string site = $"https://{e.City.Subdomain}.qtickets.events/{e.Id.ToString(CultureInfo.InvariantCulture)}";
            string content = "155" + e.Id.ToString(CultureInfo.InvariantCulture);
            string city = e.City.Name.ToLowerInvariant();
            string status = e.DeletedAt != 0 ? "deleted" : sales.LastSale[i] < anchor - 30 * Day ? "blocked" : "active";
            long plan = FirstPlanId + i;
            cabinet.Plans.Add(new AdPlan(plan, campaign, status));
            cabinet.Groups.Add(new AdGroup(FirstGroupId + 2 * i, plan, campaign + " · cpc", status, ""));
            cabinet.Groups.Add(new AdGroup(FirstGroupId + 2 * i + 1, plan, campaign + " · target", status,
                $"utm_source=vk&utm_medium=target&utm_campaign={campaign}&utm_content={content}3"));
            var banners = new List<(Banner Banner, double Weight)>
            {
                (new Banner(FirstBannerId + 4 * i, FirstGroupId + 2 * i, e.Name + " · лента", status,
                    $"{site}?utm_source=vk&utm_medium=cpc&utm_campaign={campaign}&utm_content={content}1", city, "vk", campaign), 0.4),
                (new Banner(FirstBannerId + 4 * i + 1, FirstGroupId + 2 * i, e.Name + " · сторис", status,
                    $"{site}?utm_source=vk&utm_medium=cpc&utm_campaign={campaign}&utm_content={content}2&utm_term=%D0%B0%D1%84%D0%B8%D1%88%D0%B0", city, "vk", campaign), 0.3),
                (new Banner(FirstBannerId + 4 * i + 2, FirstGroupId + 2 * i + 1, e.Name + " · ретаргетинг", status, site, city, "vk", campaign), 0.2),
            };
            if (i % 3 == 0)
            {
                // Untagged: only the campaign's name places it.
                banners.Add((new Banner(FirstBannerId + 4 * i + 3, FirstGroupId + 2 * i, e.Name + " · без меток", status, site, city, "", ""), 0.1));
            }
            long revenue = e.UtmTags.Sum(t => sales.RevenueByTag.GetValueOrDefault(t));
            decimal budget = Math.Max(3_000m, revenue / 100m * (decimal)SpendShares[random.Next(SpendShares.Length)]);
            DateOnly from = MoscowDate(sales.FirstSale[i]).AddDays(-3);
            DateOnly to = MoscowDate(sales.LastSale[i]) < cabinet.LastDay ? MoscowDate(sales.LastSale[i]) : cabinet.LastDay;
            cabinet.Spread(banners, budget, from, to, ref random);
        }

        int year = cabinet.LastDay.Year;
        var extras = SandboxRandom.For(seed, SandboxRandom.Purpose.AdCabinet, -1);
        cabinet.Plans.Add(new AdPlan(FirstPlanId - 1, "Охват: бренд промоутера", "active"));
        cabinet.Groups.Add(new AdGroup(FirstGroupId - 1, FirstPlanId - 1, "Бренд · широкая аудитория", "active", ""));
        cabinet.Spread(
        [
            (new Banner(FirstBannerId - 1, FirstGroupId - 1, "Бренд · видео", "active",
                $"https://promoter.example/?utm_source=vk&utm_medium=banner&utm_campaign=brand_{year}", "unknown", "vk", $"brand_{year}"), 0.7),
            (new Banner(FirstBannerId - 2, FirstGroupId - 1, "Бренд · сообщество", "active", "https://vk.com/promoter.example", "unknown", "", ""), 0.3),
        ], 2_500m * 120, cabinet.LastDay.AddDays(-119), cabinet.LastDay, ref extras);
        cabinet.Plans.Add(new AdPlan(FirstPlanId - 2, "Осенняя распродажа", "active"));
        cabinet.Groups.Add(new AdGroup(FirstGroupId - 2, FirstPlanId - 2, "Распродажа · Петербург", "active", ""));
        cabinet.Spread(
        [
            (new Banner(FirstBannerId - 3, FirstGroupId - 2, "Распродажа · карусель", "active",
                "https://spb.qtickets.events/?utm_source=vk&utm_medium=cpc&utm_campaign=promo_autumn&utm_content=spb_15_03", "санкт-петербург", "vk", "promo_autumn"), 1),
        ], 1_200m * 60, cabinet.LastDay.AddDays(-59), cabinet.LastDay, ref extras);
        return cabinet;
    }

    /// <summary>One campaign, ad group and banner per hand-made campaign, ids in the order given.</summary>
    public static AdCabinet FromCampaigns(IReadOnlyList<VkAdsSandboxCampaign> campaigns, long anchor)
    {
        var cabinet = new AdCabinet(MoscowDate(anchor).AddDays(-1));
        for (int i = 0; i < campaigns.Count; i++)
        {
            VkAdsSandboxCampaign campaign = campaigns[i];
            cabinet.Plans.Add(new AdPlan(FirstPlanId + i, campaign.Name, "active"));
            cabinet.Groups.Add(new AdGroup(FirstGroupId + i, FirstPlanId + i, campaign.Name, "active", ""));
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(campaign.TargetUrl).Query);
            var banner = new Banner(FirstBannerId + i, FirstGroupId + i, campaign.Name, "active", campaign.TargetUrl, campaign.City,
                query["utm_source"] ?? "", query["utm_campaign"] ?? "");
            cabinet.Banners.Add(banner);
            cabinet._stats[banner.Id] = new SortedDictionary<DateOnly, DayStat>(
                campaign.Days.ToDictionary(d => d.Key, d => new DayStat(d.Value.Shows, d.Value.Clicks, d.Value.Spent)));
        }
        return cabinet;
    }

    public DayStat Stat(long bannerId, DateOnly date) =>
        _gate.Locked(() => _stats.TryGetValue(bannerId, out var days) && days.TryGetValue(date, out DayStat stat) ? stat : default);

    /// <summary>A late correction of one banner-day, as the platform makes after filtering invalid traffic.</summary>
    public void Restate(long bannerId, DateOnly date, DayStat stat)
    {
        if (Banners.All(b => b.Id != bannerId))
        {
            throw new KeyNotFoundException($"No banner {bannerId}.");
        }
        _gate.Locked(() => (CollectionsMarshal.GetValueRefOrAddDefault(_stats, bannerId, out _) ??= [])[date] = stat);
    }

    /// <summary>Every non-zero banner-day, for the ground truth.</summary>
    public List<(Banner Banner, DateOnly Date, DayStat Stat)> Spent()
    {
        var byId = Banners.ToDictionary(b => b.Id);
        return _gate.Locked(() => _stats.SelectMany(s => s.Value.Where(d => d.Value != default).Select(d => (byId[s.Key], d.Key, d.Value))).ToList());
    }

    /// <summary>Spreads a budget over the days and banners with day-to-day noise; every figure is whole kopecks.</summary>
    private void Spread(List<(Banner Banner, double Weight)> banners, decimal budget, DateOnly from, DateOnly to, ref SandboxRandom random)
    {
        Banners.AddRange(banners.Select(b => b.Banner));
        if (to < from)
        {
            return;
        }
        var daily = new DailyBudget(budget, banners.Sum(b => b.Weight), from, to, 0.5, _ => 1, ref random);
        foreach ((Banner banner, double weight) in banners)
        {
            double cpm = 120 + random.Next(0, 280);
            double ctr = 0.004 + random.NextDouble() * 0.011;
            var days = new SortedDictionary<DateOnly, DayStat>();
            for (int d = 0; d < daily.Days; d++)
            {
                decimal spent = daily.Share(weight, d);
                long shows = (long)Math.Round((double)spent / cpm * 1000);
                days[from.AddDays(d)] = new DayStat(shows, (long)Math.Round(shows * ctr), spent);
            }
            _stats[banner.Id] = days;
        }
    }
}
