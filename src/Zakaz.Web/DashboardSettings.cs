namespace Zakaz.Web;

/// <summary>How <c>zakaz serve</c> lets people in and how often its scheduler runs the syncs.</summary>
public sealed class DashboardSettings
{
    /// <summary>The login password as a PBKDF2 hash (<c>zakaz serve hash-password</c>); a secret.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>A read-only token for the JSON API (<c>Authorization: Bearer</c>); a secret.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Text whose hash signs the session cookies, so a restart keeps people logged in; a secret.</summary>
    public string? SessionKey { get; set; }

    /// <summary>
    /// The reverse proxies (addresses and networks) whose X-Forwarded-For and X-Forwarded-Proto the
    /// dashboard believes; empty ignores those headers.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>Minutes between Qtickets order syncs (orders changed since the last one, then their facts).</summary>
    public int QticketsSyncMinutes { get; set; } = 10;

    /// <summary>Minutes between Qtickets inventory syncs (seats of every upcoming show: many requests).</summary>
    public int QticketsInventoryMinutes { get; set; } = 60;

    /// <summary>
    /// Moscow time of the nightly Qtickets reconcile (orders of events with future shows or a show within
    /// QTICKETS_RECONCILE_DAYS back; every order on Sundays).
    /// </summary>
    public TimeOnly ReconcileTime { get; set; } = new(4, 0);

    /// <summary>Minutes between VK Ads syncs (each re-reads the last 7 days, which VK Ads restates).</summary>
    public int VkAdsSyncMinutes { get; set; } = 60;

    /// <summary>
    /// Seconds the dashboard may answer the same question again without the store: how stale a page
    /// can be when another process writes to a server store (a run inside the server drops it at once).
    /// </summary>
    public int AnswerCacheSeconds { get; set; } = 30;
}
