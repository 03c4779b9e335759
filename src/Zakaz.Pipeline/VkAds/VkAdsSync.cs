using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.VkAds;
using Zakaz.Storage;

namespace Zakaz.Pipeline.VkAds;

/// <summary>What a sync read and wrote (or, dry, would write).</summary>
/// <param name="Rows">Rows per table (and per stream: ad plans, groups, banners), in the order they are written.</param>
/// <param name="SpendByCity">Spend per city in the window as mapped, <c>unknown</c> included.</param>
/// <param name="Watermark">The last day this run vouches for, stored as the watermark; null when dry.</param>
public sealed record VkAdsSyncResult(
    bool DryRun, DateOnly From, DateOnly To, long AccountId, IReadOnlyDictionary<string, long> Rows, IReadOnlyDictionary<string, decimal> SpendByCity,
    int Requests, int TokensMinted, int TokensRefreshed, DateOnly? Watermark = null);

/// <summary>A VK Ads sync that failed; the message says what and what to do, and never holds a secret.</summary>
public sealed class VkAdsSyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One VK Ads sync (spec §6): the account, every campaign, ad group and banner into <c>dim_vk_ads_objects</c>, banner day
/// statistics of the window into <c>stg_vk_ads_daily</c> with one new <c>_ver</c> (a re-run replaces, restated figures
/// win), city and event by <see cref="CampaignMapping"/>, the ad mart rebuilt for the window's dates, the watermark
/// moved last. Everything is fetched before anything is written, so a failed run leaves the store as it was.
/// </summary>
public sealed class VkAdsSync(
    IClickHouseStore store, IVkAdsSource client, VkAdsOptions options, IProgress<SyncProgress>? progress = null, TimeProvider? time = null)
{
    /// <summary>Named source.stream: bi.v_ops_freshness keys sources by the prefix.</summary>
    public const string Job = "vk_ads.daily";

    /// <summary>The platform keeps 366 days of statistics.</summary>
    public const int MaxDays = 366;

    /// <summary>The daily stream's cursor: the last statistics day a run vouches for.</summary>
    public static readonly StreamKey Watermark = new("vk_ads", "daily");

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StreamState _watermarks = new(store, time);

    /// <summary>Runs the sync and records it as a <see cref="Job"/> row of meta_job_runs (not when dry).</summary>
    public async Task<VkAdsSyncResult> RunAsync(AdSyncRequest request, CancellationToken cancellationToken = default) => request.DryRun
        ? await DescribedAsync(request, cancellationToken)
        : await new JobRunLog(store, _time).RecordAsync(Job, token => DescribedAsync(request, token), Summary, cancellationToken: cancellationToken);

    private Task<VkAdsSyncResult> DescribedAsync(AdSyncRequest request, CancellationToken cancellationToken) =>
        SyncFailure.DescribedAsync(() => SyncAsync(request, cancellationToken), Describe, (message, e) => new VkAdsSyncException(message, e));

    private static RunSummary Summary(VkAdsSyncResult result) => new(result.Rows.Where(r => r.Key.StartsWith("zakaz.", StringComparison.Ordinal)).Sum(r => r.Value), new
    {
        window = $"{Day(result.From)}..{Day(result.To)}",
        account_id = result.AccountId,
        rows = result.Rows,
        spend_by_city = result.SpendByCity,
        requests = result.Requests,
        tokens_minted = result.TokensMinted,
        tokens_refreshed = result.TokensRefreshed,
        watermark = result.Watermark is { } w ? Day(w) : null,
    });

    private async Task<VkAdsSyncResult> SyncAsync(AdSyncRequest request, CancellationToken cancellationToken)
    {
        var (from, to) = await WindowAsync(request, cancellationToken);
        Report($"statistics from {Day(from)} to {Day(to)}");
        var account = await client.GetAccountAsync(cancellationToken);
        if (!account.Currency.Equals("RUB", StringComparison.OrdinalIgnoreCase))
        {
            throw new VkAdsSyncException($"VK Ads account {account.Id} keeps its money in {account.Currency}; Zakaz stores roubles and has no exchange rates yet: read a RUB account.");
        }
        var plans = await client.ListAdPlansAsync(cancellationToken);
        var groups = await client.ListAdGroupsAsync(cancellationToken);
        var banners = await client.ListBannersAsync(cancellationToken);
        Report($"account {account.Id}, {plans.Count} campaign(s), {groups.Count} ad group(s), {banners.Count} banner(s)");
        var days = banners.Count == 0 ? [] : await client.GetBannerDaysAsync(banners.Select(b => b.Id).ToArray(), from, to, new SourceProgress("VK Ads", progress), cancellationToken);
        Report($"{days.Count:N0} banner-day row(s)");

        var mapping = await new CampaignRules(store, _time).LoadMappingAsync(cancellationToken);
        var planById = plans.ToDictionary(p => p.Id);
        var groupById = groups.ToDictionary(g => g.Id);
        var facts = banners.ToDictionary(b => b.Id, b =>
        {
            var group = groupById.GetValueOrDefault(b.AdGroupId);
            var plan = group is null ? null : planById.GetValueOrDefault(group.AdPlanId);
            return new AdFacts(AdSources.VkAds, b.Id, b.AdGroupId, group?.AdPlanId ?? 0, b.Name, group?.Name ?? "", plan?.Name ?? "", UtmValues.Parse(b.TargetUrl, group?.Utm));
        });
        var assigned = facts.ToDictionary(f => f.Key, f => mapping.Assign(f.Value));

        var loadedAt = _time.GetUtcNow();
        var objectVersion = await StoreVersions.NextAsync(store, VkAdsTables.Objects, loadedAt, cancellationToken);
        var accountId = (ulong)account.Id;
        var objects = plans.Select(p => new VkAdsObjectRow("ad_plan", (ulong)p.Id, accountId, p.Name, p.Status, (ulong)p.Id, 0, "", UtmValues.None, objectVersion, loadedAt))
            .Concat(groups.Select(g => new VkAdsObjectRow("ad_group", (ulong)g.Id, accountId, g.Name, g.Status, (ulong)g.AdPlanId, (ulong)g.Id, "",
                UtmValues.Parse(null, g.Utm), objectVersion, loadedAt)))
            .Concat(banners.Select(b => new VkAdsObjectRow("banner", (ulong)b.Id, accountId, b.Name, b.Status, (ulong)facts[b.Id].CampaignId, (ulong)b.AdGroupId,
                b.TargetUrl, facts[b.Id].Utm, objectVersion, loadedAt)))
            .ToList();
        var dayVersion = await StoreVersions.NextAsync(store, VkAdsTables.Daily, loadedAt, cancellationToken);
        var dayRows = days.Select(d =>
        {
            var banner = facts.GetValueOrDefault(d.BannerId) ?? new AdFacts(AdSources.VkAds, d.BannerId, 0, 0, "", "", "", UtmValues.None);
            var to = assigned.GetValueOrDefault(d.BannerId) ?? mapping.Assign(banner);
            return new VkAdsDayRow(d.Date, accountId, (ulong)banner.CampaignId, (ulong)banner.AdGroupId, (ulong)d.BannerId, (ulong)d.Shows, (ulong)d.Clicks,
                Math.Round(d.Spent, 2, MidpointRounding.AwayFromZero), (ulong)d.Goals, banner.Utm, to.City, to.EventId, dayVersion, loadedAt);
        }).ToList();
        var rows = new Dictionary<string, long>
        {
            ["ad_plans"] = plans.Count,
            ["ad_groups"] = groups.Count,
            ["banners"] = banners.Count,
            [VkAdsTables.Objects] = objects.Count,
            [VkAdsTables.Daily] = dayRows.Count,
        };
        var spendByCity = dayRows.GroupBy(r => r.City).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Spend));
        var unmapped = assigned.Values.Count(a => a.City == Assignment.UnknownCity);
        if (unmapped > 0)
        {
            Report($"{unmapped} banner(s) map to no city; their spend ({spendByCity.GetValueOrDefault(Assignment.UnknownCity):N2}) stays under 'unknown': add rules with zakaz mappings import");
        }
        var result = new VkAdsSyncResult(request.DryRun, from, to, account.Id, rows, spendByCity, client.Requests, client.TokensMinted, client.TokensRefreshed);
        if (request.DryRun)
        {
            return result;
        }

        await store.InsertAsync(VkAdsTables.Objects, VkAdsTables.ObjectSchema, objects, cancellationToken: cancellationToken);
        await store.InsertAsync(VkAdsTables.Daily, VkAdsTables.DailySchema, dayRows, cancellationToken: cancellationToken);
        Report($"{dayRows.Count:N0} row(s) written to {VkAdsTables.Daily}");
        // Every date of the window: a banner whose city changed leaves its old city's day to be rewritten too.
        var rebuilt = await new FactBuilder(store, _time).RebuildAsync(from, to, cancellationToken);
        rows[FactBuilder.VkAdsDaily] = rebuilt.Tables.Where(t => t.Table == FactBuilder.VkAdsDaily).Sum(t => t.Rows);
        await _watermarks.WriteAsync(Watermark, Day(to), cancellationToken);
        return result with { Watermark = to };
    }

    private Task<(DateOnly From, DateOnly To)> WindowAsync(AdSyncRequest request, CancellationToken cancellationToken) =>
        new AdSyncWindow("VK Ads", options.LookbackDays, _watermarks, Watermark, _time, message => new VkAdsSyncException(message))
            .ResolveAsync(request.From, request.To, (_, to) => (to.AddDays(-(MaxDays - 1)), $"the platform keeps {MaxDays} days of statistics"), Report, cancellationToken);

    private static string Day(DateOnly date) => AdSyncWindow.Day(date);

    private static string Describe(Exception e) => e switch
    {
        VkAdsAuthException or StoreSecretsException => e.Message,
        VkAdsException => $"{e.Message}; the store is unchanged, run the sync again later",
        ClickHouseException => $"the store failed: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private void Report(string message) => progress?.Report(new SyncProgress("VK Ads", message));
}
