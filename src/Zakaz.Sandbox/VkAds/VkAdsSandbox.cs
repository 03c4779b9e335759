using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.VkAds;

/// <summary>
/// A local VK Ads (ads.vk.com API v2) on 127.0.0.1 for the promoter the Qtickets sandbox generates from the same seed,
/// order count and anchor. Beside the API, without a token: <c>GET /__sandbox/truth</c> (<see cref="VkAdsGroundTruth"/>),
/// <c>GET|POST /__sandbox/faults</c> (<see cref="VkAdsFaults"/>), <c>POST /__sandbox/restate</c>
/// <c>{"banner_id", "date", "spent", "shows", "clicks"}</c> and <c>POST /__sandbox/tokens {"expire": true}</c>.
/// Tests, the demo and other tools use it in-process; <c>zakaz sandbox vk-ads</c> runs it in the foreground.
/// </summary>
public sealed class VkAdsSandbox : AdPlatformSandbox
{
    private readonly AdCabinet _cabinet;
    private readonly TokenIssuer _tokens;

    private VkAdsSandbox(AdCabinet cabinet, TokenIssuer tokens, VkAdsSandboxOptions options, string secret, DateTimeOffset anchor)
        : base(anchor)
    {
        _cabinet = cabinet;
        _tokens = tokens;
        ClientId = options.ClientId;
        ClientSecret = secret;
    }

    /// <summary><c>http://127.0.0.1:port/</c>: the value of <c>VK_ADS_BASE_URL</c>.</summary>
    public Uri BaseUrl => RootUrl;

    public string ClientId { get; }

    public string ClientSecret { get; }

    public override (DateOnly From, DateOnly To) SpendDays => _cabinet.Spent() is { Count: > 0 } spent
        ? (spent.Min(s => s.Date), spent.Max(s => s.Date))
        : (_cabinet.LastDay, _cabinet.LastDay);

    public VkAdsFaults Faults { get; } = new();

    public VkAdsGroundTruth Truth => new(_cabinet.Spent());

    public int BannerCount => _cabinet.Banners.Count;

    public override int CampaignCount => _cabinet.Plans.Count;

    /// <summary>Tokens the token endpoint issued with client credentials, and renewed with refresh tokens.</summary>
    public int TokensMinted => _tokens.Minted;

    public int TokensRefreshed => _tokens.Refreshed;

    /// <summary>Tokens that exist now (they count against the limit whatever their state).</summary>
    public int TokensLive => _tokens.Live;

    public static async Task<VkAdsSandbox> StartAsync(VkAdsSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new VkAdsSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Orders);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 1);
        DateTimeOffset anchor = options.AnchorOrNow();
        AdCabinet cabinet = options.Campaigns is { } campaigns
            ? AdCabinet.FromCampaigns(campaigns, anchor.ToUnixTimeSeconds())
            : await Task.Run(() => AdCabinet.Generate(options.Seed, options.Orders, anchor.ToUnixTimeSeconds()), cancellationToken);
        string secret = options.ClientSecret ?? RandomNumberGenerator.GetHexString(32, lowercase: true);
        var tokens = new TokenIssuer(options, secret);
        var sandbox = new VkAdsSandbox(cabinet, tokens, options, secret, anchor);
        var api = new VkAdsApi(cabinet, tokens, sandbox.Faults, options);
        await sandbox.ServeAsync(options.Port, api.HandleAsync, cancellationToken);
        return sandbox;
    }

    /// <summary>Changes one banner-day's figures, as the platform does when it restates recent days.</summary>
    public void Restate(long bannerId, DateOnly date, decimal spent, long shows, long clicks) =>
        _cabinet.Restate(bannerId, date, new DayStat(shows, clicks, spent));

    /// <summary>The banners that spent on <paramref name="date"/>, for tests that restate one.</summary>
    public IReadOnlyList<long> BannersWithSpend(DateOnly date) =>
        [.. _cabinet.Spent().Where(s => s.Date == date).Select(s => s.Banner.Id).Order()];

    /// <summary>Every issued token expires now, as if a day had passed.</summary>
    public void ExpireTokens() => _tokens.ExpireAll();

    private protected override IReadOnlyDictionary<string, Action<JsonElement>> PlatformRoutes => new Dictionary<string, Action<JsonElement>>
    {
        ["tokens"] = input =>
        {
            if (input.TryGetProperty("expire", out JsonElement expire) && expire.GetBoolean())
            {
                ExpireTokens();
            }
        },
    };

    private protected override string TruthJson() => Truth.ToJson();

    private protected override void ApplyFaults(JsonElement script) => Faults.Apply(script);

    private protected override void WriteFaults(Utf8JsonWriter writer) => Faults.WriteState(writer);

    private protected override void Restate(JsonElement day) =>
        Restate(day.GetProperty("banner_id").GetInt64(), DateOf(day), Money(day, "spent"), Count(day, "shows"), Count(day, "clicks"));
}
