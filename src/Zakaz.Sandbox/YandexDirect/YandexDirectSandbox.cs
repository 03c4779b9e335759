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
public sealed class YandexDirectSandbox : LoopbackSandbox
{
    private const string ControlPath = "/__sandbox";

    private readonly DirectAccount _account;
    private readonly YandexDirectApi _api;

    private YandexDirectSandbox(DirectAccount account, YandexDirectSandboxOptions options, string token, DateTimeOffset anchor)
    {
        _account = account;
        Token = token;
        Anchor = anchor;
        _api = new YandexDirectApi(account, Faults, options, token, options.Clock);
    }

    /// <summary><c>http://127.0.0.1:port/json/v5/</c>: the value of <c>YANDEX_DIRECT_BASE_URL</c>.</summary>
    public Uri BaseUrl => new(RootUrl, YandexDirectApi.BasePath.TrimStart('/'));

    public Uri TruthUrl => new(RootUrl, ControlPath.TrimStart('/') + "/truth");

    /// <summary>The OAuth token the API accepts.</summary>
    public string Token { get; }

    /// <summary>"Now" of the generated data, in Moscow time; spend runs up to the day before.</summary>
    public DateTimeOffset Anchor { get; }

    public (DateOnly From, DateOnly To) SpendDays => _account.Spent() is { Count: > 0 } spent
        ? (spent[0].Date, spent[^1].Date)
        : (_account.LastDay, _account.LastDay);

    public int CampaignCount => _account.Campaigns.Count;

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
        var sandbox = new YandexDirectSandbox(account, options, token, anchor.ToOffset(TimeSpan.FromHours(3)));
        await sandbox.ListenAsync(options.Port, context => context.Request.Path.StartsWithSegments(ControlPath, StringComparison.Ordinal)
            ? sandbox.ControlAsync(context)
            : sandbox._api.HandleAsync(context), ct);
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

    private async Task ControlAsync(HttpContext context)
    {
        string route = (context.Request.Path.Value ?? "")[ControlPath.Length..];
        bool post = HttpMethods.IsPost(context.Request.Method);
        try
        {
            using JsonDocument? body = post ? await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) : null;
            JsonElement input = body?.RootElement ?? default;
            switch (route, post)
            {
                case ("/truth", false):
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(Truth.ToJson(), context.RequestAborted);
                    return;
                case ("/faults", true):
                    Faults.Apply(input);
                    await VkAdsApi.WriteAsync(context, 200, Faults.WriteState);
                    return;
                case ("/faults", false):
                    await VkAdsApi.WriteAsync(context, 200, Faults.WriteState);
                    return;
                case ("/restate", true):
                    Restate(input.GetProperty("ad_id").GetInt64(),
                        DateOnly.ParseExact(input.GetProperty("date").GetString() ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        decimal.Parse(input.GetProperty("cost").ToString(), NumberStyles.Float, CultureInfo.InvariantCulture),
                        input.TryGetProperty("impressions", out JsonElement impressions) ? impressions.GetInt64() : 0,
                        input.TryGetProperty("clicks", out JsonElement clicks) ? clicks.GetInt64() : 0);
                    context.Response.StatusCode = 204;
                    return;
                default:
                    await VkAdsApi.WriteAsync(context, 404, w => JsonSerializer.Serialize(w,
                        new { error = "No such sandbox route: GET truth, GET/POST faults, POST restate" }));
                    return;
            }
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or JsonException or FormatException or InvalidOperationException)
        {
            await VkAdsApi.WriteAsync(context, 400, w => JsonSerializer.Serialize(w, new { error = e.Message }));
        }
    }
}
