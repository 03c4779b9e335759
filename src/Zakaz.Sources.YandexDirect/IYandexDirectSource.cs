namespace Zakaz.Sources.YandexDirect;

/// <summary>
/// What the sync reads from Yandex Direct (<see cref="YandexDirectClient"/>): campaigns, ad groups and ads of every
/// state, and day × ad figures from the Reports service. Read-only by construction: only <c>get</c> calls and reports.
/// </summary>
public interface IYandexDirectSource
{
    /// <summary>HTTP requests sent so far, retries and offline polls included.</summary>
    int Requests { get; }

    /// <summary>The last <c>Units</c> header seen (<c>spent/available/daily_limit</c> points), null if none came yet.</summary>
    string? Units { get; }

    /// <summary>Every campaign, archived and deleted ones included.</summary>
    Task<IReadOnlyList<DirectCampaign>> ListCampaignsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DirectAdGroup>> ListAdGroupsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default);

    /// <summary>Every ad of the campaigns, whatever its state.</summary>
    Task<IReadOnlyList<DirectAd>> ListAdsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Day × ad figures of <paramref name="from"/>…<paramref name="to"/>, in parts of at most
    /// <see cref="YandexDirectClientOptions.ReportDays"/> days (a 502 halves a part), yielded in date order so each part can be
    /// written before the next is read. <paramref name="runId"/> goes into every report's name: a retry within the run polls
    /// the same report, a later run never reads an earlier run's (possibly restated) report.
    /// </summary>
    IAsyncEnumerable<DirectAdDays> ReadAdDaysAsync(DateOnly from, DateOnly to, string runId, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>One cheap call (a campaigns page of one) that fails with the same typed errors as the real work.</summary>
    Task CheckAccessAsync(CancellationToken cancellationToken = default);
}
