using Microsoft.Extensions.Logging;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// The ads.vk.com API v2, read-only (spec §1–§5): the account, campaigns (ad plans), ad groups and banners of
/// every status with explicit fields, paged by offset; banner day statistics in chunks of at most
/// <see cref="VkAdsClientOptions.StatsIds"/> ids × <see cref="VkAdsClientOptions.StatsDays"/> days, halved for
/// the rest of the run on ERR_LIMIT_EXCEEDED. A 401 renews the token once and replays once; a second 401 stops.
/// </summary>
public sealed class VkAdsClient : IVkAdsSource, IDisposable
{
    private const string AllStatuses = "active,blocked,deleted";

    private readonly VkAdsClientOptions _options;
    private readonly VkAdsTransport _transport;
    private readonly VkAdsTokens _tokens;
    private readonly VkAdsRateLimits _limits;
    private readonly ILogger<VkAdsClient> _logger;
    private IDisposable? _services;
    private int _statsIds;
    private int _statsDays;

    /// <param name="http">The client of <see cref="VkAdsSource.AddVkAdsSource"/>: the token handler, the shared resilience pipeline, <paramref name="limits"/>.</param>
    internal VkAdsClient(HttpClient http, VkAdsClientOptions options, VkAdsTokens tokens, VkAdsRateLimits limits, ILogger<VkAdsClient> logger)
    {
        options.Validated();
        _options = options;
        _limits = limits;
        _logger = logger;
        _tokens = tokens;
        _statsIds = Math.Min(options.StatsIds, 200);
        _statsDays = options.StatsDays;
        _transport = new VkAdsTransport(http);
    }

    public int Requests => _limits.Requests;

    public int TokensMinted => _tokens.Minted;

    public int TokensRefreshed => _tokens.Refreshed;

    public Task<VkAdsAccount> GetAccountAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v2/user.json?fields=id,username,currency", root =>
            new VkAdsAccount(VkAdsJson.Long(root, "id"), VkAdsJson.Text(root, "username"), VkAdsJson.Text(root, "currency") is { Length: > 0 } c ? c : "RUB"),
            cancellationToken);

    public Task<IReadOnlyList<VkAdsAdPlan>> ListAdPlansAsync(CancellationToken cancellationToken = default) =>
        ListAsync("ad_plans", "id,name,status,created,updated,date_start,date_end,objective,budget_limit,budget_limit_day",
            e => new VkAdsAdPlan(VkAdsJson.Long(e, "id"), VkAdsJson.Text(e, "name"), VkAdsJson.Text(e, "status")), cancellationToken);

    public Task<IReadOnlyList<VkAdsAdGroup>> ListAdGroupsAsync(CancellationToken cancellationToken = default) =>
        ListAsync("ad_groups", "id,name,ad_plan_id,status,created,updated,objective,utm,enable_utm",
            e => new VkAdsAdGroup(VkAdsJson.Long(e, "id"), VkAdsJson.OptionalLong(e, "ad_plan_id") ?? 0, VkAdsJson.Text(e, "name"),
                VkAdsJson.Text(e, "status"), VkAdsJson.Text(e, "utm")), cancellationToken);

    public Task<IReadOnlyList<VkAdsBanner>> ListBannersAsync(CancellationToken cancellationToken = default) =>
        ListAsync("banners", "id,name,ad_group_id,status,moderation_status,delivery,urls,created,updated",
            e => new VkAdsBanner(VkAdsJson.Long(e, "id"), VkAdsJson.OptionalLong(e, "ad_group_id") ?? 0, VkAdsJson.Text(e, "name"),
                VkAdsJson.Text(e, "status"), Urls(e)), cancellationToken);

    public async Task<IReadOnlyList<VkAdsBannerDay>> GetBannerDaysAsync(IReadOnlyCollection<long> bannerIds, DateOnly from, DateOnly to,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var days = new List<VkAdsBannerDay>();
        var pending = new Queue<(long[] Ids, DateOnly From, DateOnly To)>();
        foreach (var ids in bannerIds.Distinct().Order().Chunk(_statsIds))
        {
            pending.Enqueue((ids, from, to));
        }
        var done = 0;
        while (pending.TryDequeue(out var chunk))
        {
            if (chunk.Ids.Length > _statsIds || chunk.To.DayNumber - chunk.From.DayNumber + 1 > _statsDays)
            {
                foreach (var ids in chunk.Ids.Chunk(_statsIds))
                {
                    for (var start = chunk.From; start <= chunk.To; start = start.AddDays(_statsDays))
                    {
                        var end = start.AddDays(_statsDays - 1);
                        pending.Enqueue((ids, start, end < chunk.To ? end : chunk.To));
                    }
                }
                continue;
            }
            try
            {
                days.AddRange(await GetAsync(StatsPath(chunk.Ids, chunk.From, chunk.To), ReadDays, cancellationToken));
                done++;
                if (done % 10 == 0)
                {
                    progress?.Report($"{done} statistics request(s), {days.Count:N0} banner-day row(s)");
                }
            }
            catch (VkAdsApiException e) when (e.IsLimitExceeded && (_statsDays > 1 || _statsIds > 1))
            {
                // Too many dates or ids for the platform: halve the days first (they are the undocumented limit), then the ids.
                if (_statsDays > 1)
                {
                    _statsDays = Math.Max(1, Math.Min(_statsDays, chunk.To.DayNumber - chunk.From.DayNumber + 1) / 2);
                }
                else
                {
                    _statsIds = Math.Max(1, Math.Min(_statsIds, chunk.Ids.Length) / 2);
                }
                _logger.LogInformation("VK Ads statistics: ERR_LIMIT_EXCEEDED for {Ids} id(s) × {Days} day(s); now {StatsIds} × {StatsDays}", chunk.Ids.Length, chunk.To.DayNumber - chunk.From.DayNumber + 1, _statsIds, _statsDays);
                pending.Enqueue(chunk);
            }
        }
        return days;
    }

    private static string StatsPath(long[] ids, DateOnly from, DateOnly to) =>
        string.Create(CultureInfo.InvariantCulture,
            $"api/v2/statistics/banners/day.json?id={string.Join(',', ids)}&date_from={from:yyyy-MM-dd}&date_to={to:yyyy-MM-dd}&metrics=base");

    private static List<VkAdsBannerDay> ReadDays(JsonElement root)
    {
        var days = new List<VkAdsBannerDay>();
        foreach (var item in VkAdsJson.Items(root, "items"))
        {
            var id = VkAdsJson.Long(item, "id");
            foreach (var row in VkAdsJson.Items(item, "rows"))
            {
                var text = VkAdsJson.Text(row, "date");
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw new VkAdsFormatException($"banner {id}: 'date' is '{text}', not yyyy-MM-dd");
                }
                var metrics = VkAdsJson.Property(row, "base") ?? row;
                days.Add(new VkAdsBannerDay(id, date, VkAdsJson.OptionalLong(metrics, "shows") ?? 0, VkAdsJson.OptionalLong(metrics, "clicks") ?? 0,
                    VkAdsJson.Money(metrics, "spent"), VkAdsJson.OptionalLong(metrics, "goals") ?? 0));
            }
        }
        return days;
    }

    /// <summary>Every slot's URL, <c>primary</c> first; slots are objects <c>{url, …}</c> or, in some answers, plain strings.</summary>
    private static List<string> Urls(JsonElement banner)
    {
        var slots = VkAdsJson.Property(banner, "urls") is { ValueKind: JsonValueKind.Object } value ? value.EnumerateObject().ToArray() : [];
        return slots
            .Select(slot => (Primary: slot.Name == "primary", Url: slot.Value.ValueKind switch
            {
                JsonValueKind.String => slot.Value.GetString() ?? "",
                JsonValueKind.Object => VkAdsJson.Text(slot.Value, "url"),
                _ => "",
            }))
            .Where(u => u.Url.Length > 0)
            .OrderByDescending(u => u.Primary).Select(u => u.Url).ToList();
    }

    /// <summary>The offset paging of spec §2: advance by the items received, stop on an empty page or at <c>count</c>.</summary>
    private async Task<IReadOnlyList<T>> ListAsync<T>(string resource, string fields, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var offset = 0;
        while (true)
        {
            var path = string.Create(CultureInfo.InvariantCulture,
                $"api/v2/{resource}.json?fields={fields}&_status__in={AllStatuses}&limit={_options.PageLimit}&offset={offset}");
            var (count, page) = await GetAsync(path, root => (VkAdsJson.OptionalLong(root, "count"), VkAdsJson.Items(root, "items").Select(read).ToList()), cancellationToken);
            items.AddRange(page);
            offset += page.Count;
            if (page.Count == 0 || offset >= (count ?? long.MaxValue))
            {
                return items;
            }
        }
    }

    /// <summary>A GET with the token (renewed and replayed once on a 401 by <see cref="VkAdsAuthHandler"/>); a 401 that gets here is final.</summary>
    private async Task<T> GetAsync<T>(string path, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var what = "GET /" + path.Split('?')[0];
        try
        {
            return await _transport.SendAsync(what, () => new HttpRequestMessage(HttpMethod.Get, path), read, cancellationToken);
        }
        catch (VkAdsApiException e) when (e.StatusCode == 401 && e is not VkAdsAuthException)
        {
            throw VkAdsAuthHandler.LostAccess(e.Code)
                ? new VkAdsAuthException($"{e.Message}: the app or the account lost its access; check it in the VK Ads cabinet", 401, e.Code)
                : new VkAdsAuthException(
                    $"VK Ads {what} answered 401{(e.Code is null ? "" : " " + e.Code)} again with a renewed token: check the app's access to the account in the VK Ads cabinet",
                    401, e.Code);
        }
    }

    /// <summary>The container of a client made by <see cref="VkAdsSource.Create"/>, released with it.</summary>
    internal void OwnServices(IDisposable services) => _services = services;

    public void Dispose() => Interlocked.Exchange(ref _services, null)?.Dispose();
}
