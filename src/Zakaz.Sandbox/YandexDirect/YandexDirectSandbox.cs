using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox.YandexDirect;

/// <summary>
/// A local Yandex Direct API v5 on 127.0.0.1 for the promoter the Qtickets sandbox generates from the same seed, order
/// count and anchor (see <see cref="DirectAccount"/>). Beside the API, without a token: <c>GET /__sandbox/truth</c>
/// (<see cref="YandexDirectGroundTruth"/>), <c>GET|POST /__sandbox/faults</c> (<see cref="YandexDirectFaults"/>) and
/// <c>POST /__sandbox/restate</c> <c>{"ad_id", "date", "cost", "impressions", "clicks"}</c>. Tests, the demo and other
/// tools use it in-process; <c>zakaz sandbox yandex-direct</c> runs it in the foreground.
/// </summary>
public sealed class YandexDirectSandbox : AdPlatformSandbox
{
    private readonly DirectAccount _account;
    private readonly YandexDirectApi _api;

    private YandexDirectSandbox(DirectAccount account, YandexDirectSandboxOptions options, string token, DateTimeOffset anchor)
        : base(anchor)
    {
        _account = account;
        Token = token;
        _api = new YandexDirectApi(account, Faults, options, token, options.Clock);
    }

    /// <summary><c>http://127.0.0.1:port/json/v5/</c>: the value of <c>YANDEX_DIRECT_BASE_URL</c>.</summary>
    public Uri BaseUrl => new(RootUrl, YandexDirectApi.BasePath.TrimStart('/'));

    /// <summary>The OAuth token the API accepts.</summary>
    public string Token { get; }

    public override (DateOnly From, DateOnly To) SpendDays => _account.Spent() is { Count: > 0 } spent
        ? (spent[0].Date, spent[^1].Date)
        : (_account.LastDay, _account.LastDay);

    public override int CampaignCount => _account.Campaigns.Count;

    public int AdCount => _account.Ads.Count;

    public YandexDirectFaults Faults { get; } = new();

    public YandexDirectGroundTruth Truth => new(_account);

    /// <summary>POSTs to <c>reports</c> so far, whatever they answered.</summary>
    public int ReportRequests => _api.ReportRequests;

    /// <summary>The distinct <c>ReportName</c>s of valid report requests, in the order first seen.</summary>
    public IReadOnlyList<string> ReportNames => _api.ReportNames;

    public static async Task<YandexDirectSandbox> StartAsync(YandexDirectSandboxOptions? options = null, CancellationToken ct = default)
    {
        options ??= new YandexDirectSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Orders);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxReportDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.OfflinePolls);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedReports, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPageLimit, 1);
        if (options.RetryInSeconds?.Any(s => s < 0) == true)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RetryInSeconds can't hold negative values.");
        }
        DateTimeOffset anchor = options.AnchorOrNow();
        DirectAccount account = await Task.Run(() => DirectAccount.Generate(options.Seed, options.Orders, anchor.ToUnixTimeSeconds()), ct);
        string token = options.Token ?? "y0_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 54);
        var sandbox = new YandexDirectSandbox(account, options, token, anchor);
        await sandbox.ServeAsync(options.Port, sandbox._api.HandleAsync, ct);
        return sandbox;
    }

    /// <summary>
    /// Changes one ad-day's figures, as Direct does when it restates recent days (cost with VAT, in roubles); a cost of 0
    /// withdraws the day: its row disappears from the reports and the truth.
    /// </summary>
    public void Restate(long adId, DateOnly date, decimal cost, long impressions, long clicks) =>
        _account.Restate(adId, date, new AdDay(impressions, clicks, cost));

    /// <summary>The ads with a report row on <paramref name="date"/>, for tests that restate one.</summary>
    public IReadOnlyList<long> AdsWithSpend(DateOnly date) =>
        [.. _account.Spent().Where(s => s.Date == date).Select(s => s.Ad.Id).Order()];

    private protected override string TruthJson() => Truth.ToJson();

    private protected override void ApplyFaults(JsonElement script) => Faults.Apply(script);

    private protected override void WriteFaults(Utf8JsonWriter writer) => Faults.WriteState(writer);

    private protected override void Restate(JsonElement day) =>
        Restate(day.GetProperty("ad_id").GetInt64(), DateOf(day), Money(day, "cost"), Count(day, "impressions"), Count(day, "clicks"));
}
