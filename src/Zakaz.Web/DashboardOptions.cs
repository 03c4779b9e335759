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

    // The settings' meanings are in ConfigurationKeys.All: ZAKAZ_DASHBOARD_PASSWORD_HASH, ZAKAZ_API_TOKEN,
    // ZAKAZ_DASHBOARD_SESSION_KEY, ZAKAZ_DASHBOARD_TRUSTED_PROXIES, ZAKAZ_DASHBOARD_CACHE_SECONDS.
    public string? PasswordHash { get; set; }

    public string? ApiToken { get; set; }

    public string? SessionSecret { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>Zero turns the cache off; a scheduled run or a stored webhook in this process drops answers sooner.</summary>
    public TimeSpan AnswerCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The traffic lights of ROAS on attributed revenue (the spec's thresholds by default): green above
    /// <see cref="RoasGreen"/>, amber from <see cref="RoasAmber"/> up to it, red below
    /// (ZAKAZ_DASHBOARD_ROAS_GREEN_PERCENT, ZAKAZ_DASHBOARD_ROAS_AMBER_PERCENT).
    /// </summary>
    public decimal RoasGreen { get; set; } = 1.5m;

    public decimal RoasAmber { get; set; } = 1m;

    /// <summary>What every page and API query reads through; null: the store behind <see cref="ReadOnlyStore"/>.</summary>
    public IClickHouseStore? Reader { get; set; }

    /// <summary>Where the login keys and the sessions a logout ended outlive a restart, owner-only; null keeps them in memory.</summary>
    public string? StateDirectory { get; set; }

    public Auth.LoginLimits LoginLimits { get; set; } = new();

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

    /// <summary>Applied after the app's defaults (warnings, and Zakaz's own information); null logs nothing.</summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
