using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;

namespace Zakaz.Pipeline.YandexDirect;

/// <summary>What a sync read and wrote (or, dry, would write).</summary>
/// <param name="Rows">Rows per stream (campaigns, ad groups, ads) and per table, in the order they are written.</param>
/// <param name="SpendByCity">Spend per city in the window as mapped, <c>unknown</c> included.</param>
/// <param name="Units">Direct's points after the last call (<c>spent/available/daily_limit</c>), when it said.</param>
/// <param name="Watermark">The last day this run vouches for, stored as the watermark; null when dry.</param>
public sealed record YandexDirectSyncResult(
    bool DryRun, DateOnly From, DateOnly To, IReadOnlyDictionary<string, long> Rows, IReadOnlyDictionary<string, decimal> SpendByCity,
    int Requests, string? Units, DateOnly? Watermark = null);

/// <summary>A Yandex Direct sync that failed; the message says what and what to do, and never holds the token.</summary>
public sealed class YandexDirectSyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One Yandex Direct sync (yandex-direct-api.md): every campaign, ad group and ad of every state into
/// <c>dim_yandex_direct_objects</c>, then the ad day statistics of the window, report part by report part, into
/// <c>stg_yandex_direct_daily</c>, each part written whole with a new <c>_ver</c> (an ad-day a re-read no longer reports
/// is written as zeros, so a day restated to zero reads zero) and its facts and marts rebuilt before the next part is read.
/// So a run stopped by Direct's points (error 152) keeps every part it finished, and the watermark, which only moves
/// forward past finished parts, lets the next run continue from there.
/// </summary>
public sealed class YandexDirectSync(
    IClickHouseStore store, IYandexDirectSource client, YandexDirectOptions options, IProgress<SyncProgress>? progress = null, TimeProvider? time = null)
{
    /// <summary>Named source.stream: bi.v_ops_freshness keys sources by the prefix.</summary>
    public const string Job = "yandex_direct.daily";

    /// <summary>Direct keeps statistics for three years before the current month.</summary>
    public const int HistoryMonths = 36;

    public static readonly StreamKey Watermark = new("yandex_direct", "daily");

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly StreamState _watermarks = new(store, time);

    /// <summary>Runs the sync and records it as a <see cref="Job"/> row of meta_job_runs (not when dry).</summary>
    public async Task<YandexDirectSyncResult> RunAsync(AdSyncRequest request, CancellationToken cancellationToken = default) => request.DryRun
        ? await DescribedAsync(request, cancellationToken)
        : await new JobRunLog(store, _time).RecordAsync(Job, token => DescribedAsync(request, token), Summary, cancellationToken: cancellationToken);

    private Task<YandexDirectSyncResult> DescribedAsync(AdSyncRequest request, CancellationToken cancellationToken)
    {
        var read = new ReadSoFar();
        return SyncFailure.DescribedAsync(() => SyncAsync(request, read, cancellationToken), e => Describe(e, read, client.Units),
            (message, e) => new YandexDirectSyncException(message, e));
    }

    private static RunSummary Summary(YandexDirectSyncResult result) => new(result.Rows.Where(r => r.Key.StartsWith("zakaz.", StringComparison.Ordinal)).Sum(r => r.Value), new
    {
        window = $"{Day(result.From)}..{Day(result.To)}",
        rows = result.Rows,
        spend_by_city = result.SpendByCity,
        requests = result.Requests,
        units = result.Units,
        watermark = result.Watermark is { } w ? Day(w) : null,
    });

    private async Task<YandexDirectSyncResult> SyncAsync(AdSyncRequest request, ReadSoFar read, CancellationToken cancellationToken)
    {
        var (from, to) = await WindowAsync(request, cancellationToken);
        Report($"statistics from {Day(from)} to {Day(to)}");
        // Pages that overlap (an object moved while paging) must not stop the run: one of each id.
        var campaigns = (await client.ListCampaignsAsync(cancellationToken)).DistinctBy(c => c.Id).ToList();
        var campaignIds = campaigns.Select(c => c.Id).ToArray();
        var groups = campaignIds.Length == 0 ? [] : (await client.ListAdGroupsAsync(campaignIds, cancellationToken)).DistinctBy(g => g.Id).ToList();
        var ads = campaignIds.Length == 0 ? [] : (await client.ListAdsAsync(campaignIds, cancellationToken)).DistinctBy(a => a.Id).ToList();
        Report($"{campaigns.Count} campaign(s), {groups.Count} ad group(s), {ads.Count} ad(s)");

        var mapping = await new CampaignRules(store, _time).LoadMappingAsync(cancellationToken);
        var campaignById = campaigns.ToDictionary(c => c.Id);
        var groupById = groups.ToDictionary(g => g.Id);
        var facts = ads.ToDictionary(a => a.Id, a =>
        {
            var group = groupById.GetValueOrDefault(a.AdGroupId);
            var campaign = campaignById.GetValueOrDefault(a.CampaignId);
            return new AdFacts(AdSources.YandexDirect, a.Id, a.AdGroupId, a.CampaignId, a.Title, group?.Name ?? "", campaign?.Name ?? "",
                UtmValues.Parse(DirectLinks.Resolve(a, group, campaign), null).WithoutMacros());
        });
        var assigned = facts.ToDictionary(f => f.Key, f => mapping.Assign(f.Value));
        var loadedAt = _time.GetUtcNow();
        var clientLogin = options.ClientLogin?.Trim() ?? "";
        var rows = new Dictionary<string, long>
        {
            ["campaigns"] = campaigns.Count,
            ["ad_groups"] = groups.Count,
            ["ads"] = ads.Count,
        };
        if (!request.DryRun)
        {
            var objects = ObjectRows(campaigns, groups, ads, facts, await StoreVersions.NextAsync(store, YandexDirectTables.Objects, loadedAt, cancellationToken), loadedAt);
            await store.InsertAsync(YandexDirectTables.Objects, YandexDirectTables.ObjectSchema, objects, cancellationToken: cancellationToken);
            rows[YandexDirectTables.Objects] = objects.Count;
        }

        var spendByCity = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        long dayRows = 0, zeroed = 0;
        var runId = $"{loadedAt.ToUnixTimeSeconds():x}{Random.Shared.Next(0x10000):x4}";
        await foreach (var part in client.ReadAdDaysAsync(from, to, runId, new SourceProgress(Source, progress), cancellationToken))
        {
            var version = await StoreVersions.NextAsync(store, YandexDirectTables.Daily, _time.GetUtcNow(), cancellationToken);
            // One row per ad-day: a report that splits an ad's day further (a dimension we did not ask for) must add up, not overwrite.
            var adDays = part.Rows.GroupBy(d => (d.Date, d.CampaignId, d.AdGroupId, d.AdId)).Select(g => g.Skip(1).Any()
                ? g.First() with { Impressions = g.Sum(d => d.Impressions), Clicks = g.Sum(d => d.Clicks), Cost = g.Sum(d => d.Cost) }
                : g.First());
            var partRows = adDays.Select(d =>
            {
                // An ad the objects no longer list (deleted since) still spent: its report names place it.
                var ad = facts.GetValueOrDefault(d.AdId) ?? new AdFacts(AdSources.YandexDirect, d.AdId, d.AdGroupId, d.CampaignId, "", d.AdGroupName, d.CampaignName, UtmValues.None);
                var to = assigned.GetValueOrDefault(d.AdId) ?? mapping.Assign(ad);
                return new YandexDirectDayRow(d.Date, clientLogin, (ulong)d.CampaignId, (ulong)d.AdGroupId, (ulong)d.AdId, (ulong)d.Impressions, (ulong)d.Clicks,
                    Math.Round(d.Cost, 2, MidpointRounding.AwayFromZero), ad.Utm, to.City, to.EventId, version, loadedAt);
            }).ToList();
            foreach (var row in partRows)
            {
                spendByCity[row.City] = spendByCity.GetValueOrDefault(row.City) + row.Spend;
            }
            dayRows += partRows.Count;
            if (request.DryRun)
            {
                continue;
            }
            var restatedToZero = await NoLongerReportedAsync(part, partRows, version, loadedAt, cancellationToken);
            await store.InsertAsync(YandexDirectTables.Daily, YandexDirectTables.DailySchema, partRows.Concat(restatedToZero), cancellationToken: cancellationToken);
            zeroed += restatedToZero.Count;
            await new FactBuilder(store, _time).RebuildAsync(part.From, part.To, cancellationToken);
            if (await _watermarks.ReadAsync(Watermark, cancellationToken) is not { } mark || string.CompareOrdinal(mark, Day(part.To)) < 0)
            {
                await _watermarks.WriteAsync(Watermark, Day(part.To), cancellationToken);
            }
            read.Through = part.To;
            Report($"{Day(part.From)}..{Day(part.To)}: {partRows.Count:N0} row(s) written to {YandexDirectTables.Daily}" + (restatedToZero.Count > 0 ? $", {restatedToZero.Count} no longer reported set to zero" : ""));
        }
        rows[YandexDirectTables.Daily] = dayRows + zeroed;
        if (spendByCity.GetValueOrDefault(Assignment.UnknownCity) is > 0 and var unknown)
        {
            Report($"spend of {unknown:N2} maps to no city and stays under 'unknown': add rules with zakaz mappings import");
        }
        return new YandexDirectSyncResult(request.DryRun, from, to, rows, spendByCity, client.Requests, client.Units, request.DryRun ? null : to);
    }

    /// <summary>Zero rows for the ad-days stored for this part's days with figures that the part no longer reports.</summary>
    private async Task<List<YandexDirectDayRow>> NoLongerReportedAsync(
        DirectAdDays part, List<YandexDirectDayRow> reported, ulong version, DateTimeOffset loadedAt, CancellationToken cancellationToken)
    {
        var stored = await store.QueryAsync($"""
            SELECT stat_date, toString(client_login), campaign_id, ad_group_id, ad_id, toString(city), event_id,
                   toString(utm_source), toString(utm_medium), utm_campaign, utm_content, utm_term
            FROM {YandexDirectTables.Daily} FINAL
            WHERE stat_date BETWEEN {"{from:Date}"} AND {"{to:Date}"} AND (impressions != 0 OR clicks != 0 OR spend != 0)
            """, new QueryParameters().Add("from", part.From).Add("to", part.To), cancellationToken: cancellationToken);
        var keys = reported.Select(r => (r.StatDate, r.CampaignId, r.AdGroupId, r.AdId)).ToHashSet();
        return Enumerable.Range(0, stored.Rows.Count)
            .Where(i => !keys.Contains((stored.Get<DateOnly>(i, 0), stored.Get<ulong>(i, 2), stored.Get<ulong>(i, 3), stored.Get<ulong>(i, 4))))
            .Select(i => new YandexDirectDayRow(stored.Get<DateOnly>(i, 0), stored.Get<string>(i, 1), stored.Get<ulong>(i, 2), stored.Get<ulong>(i, 3),
                stored.Get<ulong>(i, 4), 0, 0, 0m,
                new UtmValues(stored.Get<string>(i, 7), stored.Get<string>(i, 8), stored.Get<string>(i, 9), stored.Get<string>(i, 10), stored.Get<string>(i, 11)),
                stored.Get<string>(i, 5), stored.Get<ulong>(i, 6), version, loadedAt))
            .ToList();
    }

    private static List<YandexDirectObjectRow> ObjectRows(IReadOnlyList<DirectCampaign> campaigns, IReadOnlyList<DirectAdGroup> groups,
        IReadOnlyList<DirectAd> ads, Dictionary<long, AdFacts> facts, ulong version, DateTimeOffset loadedAt) =>
        campaigns.Select(c => new YandexDirectObjectRow("campaign", (ulong)c.Id, (ulong)c.Id, 0, c.Name, c.State, c.Status, c.Type, "", c.TrackingParams,
                UtmValues.Parse(null, c.TrackingParams).WithoutMacros(), version, loadedAt))
            .Concat(groups.Select(g => new YandexDirectObjectRow("ad_group", (ulong)g.Id, (ulong)g.CampaignId, (ulong)g.Id, g.Name, "", "", "", "", g.TrackingParams,
                UtmValues.Parse(null, g.TrackingParams).WithoutMacros(), version, loadedAt)))
            .Concat(ads.Select(a => new YandexDirectObjectRow("ad", (ulong)a.Id, (ulong)a.CampaignId, (ulong)a.AdGroupId, a.Title, a.State, a.Status, a.Type, a.Href, "",
                facts[a.Id].Utm, version, loadedAt)))
            .ToList();

    private Task<(DateOnly From, DateOnly To)> WindowAsync(AdSyncRequest request, CancellationToken cancellationToken) =>
        new AdSyncWindow(Source, options.LookbackDays, _watermarks, Watermark, _time, message => new YandexDirectSyncException(message))
            .ResolveAsync(request.From, request.To,
                (today, _) => (new DateOnly(today.Year, today.Month, 1).AddMonths(-HistoryMonths), $"Direct keeps {HistoryMonths} months of statistics before this month"),
                Report, cancellationToken);

    private static string Day(DateOnly date) => AdSyncWindow.Day(date);

    private static string Describe(Exception e, ReadSoFar read, string? units) => e switch
    {
        YandexDirectPointsException => $"Yandex Direct has no API points left (error 152{(units is null ? "" : $"; points spent/available/daily limit {units}")}) " +
            (read.Through is { } through ? $"after the statistics through {Day(through)}, which are stored" : "before any statistics were read") +
            "; points come back within the hour, and the next run continues from there",
        YandexDirectAuthException => e.Message,
        YandexDirectException => $"{e.Message}; " + (read.Through is { } done ? $"the statistics through {Day(done)} are stored, " : "the store is unchanged, ") + "run the sync again later",
        ClickHouseException => $"the store failed: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private const string Source = "Yandex Direct";

    private void Report(string message) => progress?.Report(new SyncProgress(Source, message));

    /// <summary>How far the run got before it failed, for its error message.</summary>
    private sealed class ReadSoFar
    {
        public DateOnly? Through { get; set; }
    }
}
