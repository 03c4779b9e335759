namespace Zakaz.Sandbox.YandexDirect;

/// <summary>
/// Settings for <see cref="YandexDirectSandbox.StartAsync"/>. The account advertises the promoter that the Qtickets
/// sandbox generates from the same seed, order count and anchor, so spend meets sales; spend runs up to the Moscow day
/// before the anchor.
/// </summary>
public sealed record YandexDirectSandboxOptions : PromoterSandboxOptions
{
    /// <summary>The OAuth token accepted; null means a random one. Any other Bearer token answers error 53.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Set: the token is an agency representative's, and every call needs <c>Client-Login</c> equal to this login
    /// (missing or another one answers error 54).
    /// </summary>
    public string? AgencyLogin { get; init; }

    /// <summary>A report period longer than this many days answers HTTP 502, as Direct does when building takes too long.</summary>
    public int MaxReportDays { get; init; } = 92;

    /// <summary>An offline report answers 201, then this many 202s, then 200 with the report.</summary>
    public int OfflinePolls { get; init; } = 2;

    /// <summary>The <c>retryIn</c> values sent, cycled (the 201 takes the first); null means 1, 2, 1 seconds.</summary>
    public IReadOnlyList<int>? RetryInSeconds { get; init; }

    /// <summary>Offline reports in building at once; one more new report answers 400 error 9000 (Direct's limit is 5).</summary>
    public int MaxQueuedReports { get; init; } = 5;

    /// <summary>Reports in <c>auto</c> mode (no <c>processingMode</c>) answer 200 at once, as Direct does for small reports.</summary>
    public bool OnlineReports { get; init; }

    /// <summary>The clock of the offline queue: a report nobody polls is done a minute after it was queued, as Direct builds it anyway.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The most objects one page of campaigns, ad groups or ads holds, whatever <c>Page.Limit</c> asks (Direct's is 10,000).</summary>
    public int MaxPageLimit { get; init; } = 10_000;
}
