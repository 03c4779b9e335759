using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Configuration;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web;

/// <summary>How <see cref="ZakazWebApp"/> listens, who may read it and what runs inside it.</summary>
public sealed class DashboardOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 means a free port (tests, the benchmark).</summary>
    public int Port { get; set; } = 5080;

    /// <summary>No login at all; refused unless <see cref="Host"/> is a loopback address, and only loopback Host headers are answered.</summary>
    public bool Open { get; set; }

    /// <summary>A <see cref="Auth.PasswordHash"/> string (ZAKAZ_DASHBOARD_PASSWORD_HASH): the login page's password.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>A read-only API token (ZAKAZ_API_TOKEN), sent as <c>Authorization: Bearer TOKEN</c>.</summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// The connection every page and API query goes through. Unset: the store itself behind
    /// <see cref="ReadOnlyStore"/> (readonly=1 on every query). On a server, the reader user's store.
    /// </summary>
    public IClickHouseStore? Reader { get; set; }

    /// <summary>
    /// ZAKAZ_DASHBOARD_SESSION_KEY: long random text the login keys are derived from, so a restart and every
    /// instance sharing it keep people logged in; null keeps the keys in <see cref="StateDirectory"/>, or makes
    /// them at startup (a restart then logs everyone out). See <see cref="Auth.LoginKeys"/>.
    /// </summary>
    public string? SessionSecret { get; set; }

    /// <summary>
    /// Where what must outlive a restart is kept, owner-only: the login keys (<see cref="Auth.LoginKeys.DirectoryName"/>)
    /// and the sessions a logout ended: the embedded store's data directory; null keeps them in memory.
    /// See <see cref="Auth.RevokedSessions"/>.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>How many password guesses the login takes (<see cref="Auth.LoginLimits"/>).</summary>
    public Auth.LoginLimits LoginLimits { get; set; } = new();

    /// <summary>
    /// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed
    /// (ZAKAZ_DASHBOARD_TRUSTED_PROXIES): the client address that login limits count, and HTTPS for the
    /// Secure cookie. Empty: those headers are ignored, as anyone can send them.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>The sources that must be fresh for /readyz and the header's light (qtickets, vk_ads); null means every source.</summary>
    public IReadOnlyCollection<string>? Sources { get; set; }

    /// <summary>Jobs the app runs on a schedule besides the <see cref="ServedJobs"/> registered by <see cref="Services"/> (see <see cref="JobScheduler"/>).</summary>
    public IReadOnlyList<ScheduledJob> Jobs { get; set; } = [];

    /// <summary>Registrations added to the app's host, such as <see cref="ServeJobs.AddServeJobs"/>: the sources, their syncs and their jobs.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>Qtickets settings for <c>POST /webhooks/qtickets</c> (its secret and the buyer-key secret); null leaves the hook unmounted.</summary>
    public QticketsOptions? Qtickets { get; set; }

    /// <summary>Where the built pages are (ClientApp's output); default <c>wwwroot</c> next to the app's assemblies.</summary>
    public string WebRoot { get; set; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// How the app logs (scheduled runs and their failures, the webhook's outcomes, the framework's warnings),
    /// applied after its defaults (warnings, and Zakaz's own information); null logs nothing.
    /// </summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long an API answer may be served again without asking the store, unless a scheduled run or a
    /// stored webhook in this process drops it sooner (ZAKAZ_DASHBOARD_CACHE_SECONDS); zero turns the cache off.
    /// </summary>
    public TimeSpan AnswerCacheTtl { get; set; } = TimeSpan.FromSeconds(30);
}
