namespace Zakaz.Sandbox.VkAds;

/// <summary>
/// Settings for <see cref="VkAdsSandbox.StartAsync"/>. The cabinet advertises the promoter that the Qtickets sandbox
/// generates from the same seed, order count and anchor, so spend meets sales; spend runs up to the Moscow day before
/// the anchor.
/// </summary>
public sealed record VkAdsSandboxOptions : PromoterSandboxOptions
{
    public string ClientId { get; init; } = "zakaz-sandbox";

    /// <summary>The client secret the token endpoint accepts; null means a random one.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>How long an access token lives (the platform's is one day); tests shorten it.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Tokens one client may hold at once, whatever their state; the next request gets 403 (the platform's is 5).</summary>
    public int MaxTokens { get; init; } = 5;

    /// <summary>Requests per calendar second before 429 (sent as <c>X-RateLimit-RPS-Limit</c>).</summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Banner ids per statistics request before ERR_LIMIT_EXCEEDED (the platform's is 200).</summary>
    public int MaxStatsIds { get; init; } = 200;

    /// <summary>Days per statistics request before ERR_LIMIT_EXCEEDED (undocumented for the platform).</summary>
    public int MaxStatsDays { get; init; } = 92;

    /// <summary>Objects per list page before a validation error (the documented maximum is 50).</summary>
    public int MaxPageLimit { get; init; } = 50;

    /// <summary>
    /// A hand-made cabinet instead of the generated one: each campaign gets one ad group and one banner. For
    /// scenarios small enough to compute by hand; <see cref="PromoterSandboxOptions.Seed"/> and
    /// <see cref="PromoterSandboxOptions.Orders"/> are then unused.
    /// </summary>
    public IReadOnlyList<VkAdsSandboxCampaign>? Campaigns { get; init; }
}

/// <summary>
/// A campaign of a hand-made cabinet: its name, its banner's target URL, the city the mapping conventions must give
/// it (for the ground truth; "unknown" when none can) and its figures per day.
/// </summary>
public sealed record VkAdsSandboxCampaign(string Name, string TargetUrl, string City, IReadOnlyDictionary<DateOnly, (decimal Spent, long Shows, long Clicks)> Days);
