using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Storage;
using Zakaz.Web.Auth;
using Zakaz.Web.Dashboard;
using Zakaz.Web.Dashboard.Api;
using Zakaz.Web.Health;
using Zakaz.Web.Qtickets;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web;

/// <summary>
/// The dashboard process (<c>zakaz serve</c>): Kestrel serving the built pages, their JSON API
/// (read-only, bi views only), login (rate-limited), <c>/healthz</c> and <c>/readyz</c>, the Qtickets
/// webhook, and the scheduler running the syncs inside the process.
/// </summary>
public sealed class ZakazWebApp : IAsyncDisposable
{
    /// <summary>The pages of the dashboard; each answers with its own html from the web root, or the shared index.html.</summary>
    public static readonly IReadOnlyList<string> Pages = ["/", "/inventory", "/marketing", "/city", "/utm", "/plan", "/health"];

    private readonly WebApplication _app;

    private ZakazWebApp(WebApplication app, Uri url, PasswordChecks passwords)
    {
        _app = app;
        Url = url;
        Passwords = passwords;
    }

    /// <summary>Where the dashboard answers, e.g. http://127.0.0.1:5080/.</summary>
    public Uri Url { get; }

    public JobScheduler Scheduler => _app.Services.GetRequiredService<JobScheduler>();

    /// <summary>The sources the app holds to freshness (null: every source).</summary>
    public IReadOnlyCollection<string>? Sources => _app.Services.GetRequiredService<ServedJobs>().Sources;

    /// <summary>
    /// The API calls each page makes when opened without filters (page, then path and query string): the answers
    /// the app computes after every scheduled load, the header's calls under the page "header".
    /// </summary>
    public IReadOnlyList<(string Page, string Url)> DefaultViews =>
        Dashboard.DefaultViews.Of(_app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>(),
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), JobSchedule.Moscow).DateTime))
            .Select(c => (c.Page, c.Path + c.Query)).ToArray();

    /// <summary>Completes when the default views' answers asked for after the last scheduled load are computed (or could not be).</summary>
    public Task AnswersWarmed => _app.Services.GetRequiredService<AnswerWarmup>().Warmed;

    /// <summary>The app's services: what tests open a login cookie with.</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>The login's password checks as they ran: what tests of <see cref="LoginLimits"/> watch.</summary>
    internal PasswordChecks Passwords { get; }

    /// <summary>Throws <see cref="DashboardConfigurationException"/> when the options would leave the dashboard unprotected or unreachable by login.</summary>
    public static void CheckAccess(DashboardOptions options) => DashboardAuth.Create(options);

    /// <summary>
    /// Starts the app on <paramref name="store"/> (the writer: webhook and scheduled syncs) and its
    /// read-only connection (<see cref="DashboardOptions.Reader"/>). Throws
    /// <see cref="DashboardConfigurationException"/> when the options cannot be served safely.
    /// </summary>
    public static async Task<ZakazWebApp> StartAsync(IClickHouseStore store, DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var auth = DashboardAuth.Create(options);
        var reader = options.Reader ?? new ReadOnlyStore(store);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // Requests are not logged one by one; Zakaz's own notes (scheduled runs, the webhook's outcomes) are. Data
        // Protection's warning about keys kept unencrypted is left out: they are in an owner-only directory on purpose.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Zakaz", LogLevel.Information).AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        options.Logging?.Invoke(builder.Logging);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.UseUrls($"http://{UrlHost(options.Host)}:{options.Port}");
        if (options.Open)
        {
            // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) must not read the open
            // dashboard: the web host's own host filtering, first in every pipeline, answers it 400.
            builder.Services.Configure<HostFilteringOptions>(o =>
            {
                o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]", UrlHost(options.Host)];
                o.AllowEmptyHosts = false;
            });
        }
        var cache = new AnswerCache(options.AnswerCacheTtl, options.Time);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton(cache);
        options.Services?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(new ServedJobs([], options.Sources));
        DashboardApi? api = null;
        builder.Services.AddSingleton(provider => new AnswerWarmup(cache, provider, () => api!.Today, provider.GetRequiredService<ILogger<AnswerWarmup>>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<AnswerWarmup>());
        builder.Services.AddSingleton(provider => new JobScheduler(
            [.. provider.GetRequiredService<ServedJobs>().Jobs, .. options.Jobs], provider.GetRequiredService<ILogger<JobScheduler>>(), options.Time, cache.Invalidate,
            provider.GetRequiredService<AnswerWarmup>().Request));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<JobScheduler>());
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = DashboardApi.Json.Encoder);
        auth.AddTo(builder.Services);
        var app = builder.Build();

        if (options.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders(ForwardedFrom(options.TrustedProxies));
        }
        app.UseRateLimiter();
        if (Directory.Exists(options.WebRoot))
        {
            // Scripts, styles and the chart library hold no data, so they need no login (the login page uses them).
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(options.WebRoot) });
        }
        app.UseAuthentication();
        app.UseAuthorization();
        auth.MapLogin(app);
        ProbeEndpoints.Map(app, reader, app.Services.GetRequiredService<ServedJobs>().Sources);
        api = new DashboardApi(reader, options, app.Services.GetRequiredService<ILogger<DashboardApi>>());
        app.Use((context, next) => cache.ServeAsync(context, next, api.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        api.Map(app);
        if (options.Qtickets is { } qtickets)
        {
            app.MapQticketsWebhooks(new QticketsWebhookOptions { Secret = qtickets.WebhookSecret, Ingest = new QticketsOrderIngest(store, qtickets, options.Time, cache.Invalidate) })
                .AllowAnonymous();
        }
        foreach (var page in Pages)
        {
            app.MapGet(page, context => PageAsync(context, options.WebRoot, page));
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = new Uri(app.Urls.First());
        var url = new UriBuilder(bound) { Host = options.Host == "0.0.0.0" ? "127.0.0.1" : bound.Host, Path = "/" }.Uri;
        return new ZakazWebApp(app, url, auth.Passwords);
    }

    /// <summary>Completes when the host is asked to stop: Ctrl+C or SIGTERM (the console lifetime), or <see cref="DisposeAsync"/>.</summary>
    public Task StoppingAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    /// <summary>Stops the scheduler (letting runs end at their next cancellation point) and the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task PageAsync(HttpContext context, string webRoot, string page)
    {
        var own = Path.Combine(webRoot, (page == "/" ? "index" : page.TrimStart('/')) + ".html");
        var file = File.Exists(own) ? own : Path.Combine(webRoot, "index.html");
        context.Response.ContentType = "text/html; charset=utf-8";
        if (File.Exists(file))
        {
            return context.Response.SendFileAsync(file, context.RequestAborted);
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync(
            $"<!doctype html><meta charset=\"utf-8\"><title>Zakaz</title><p>The dashboard's pages are not built in {webRoot}: build src/Zakaz.Web (it runs npm ci for ClientApp). The API answers under /api.</p>",
            context.RequestAborted);
    }

    /// <summary>
    /// The client and scheme as <paramref name="proxies"/> saw them, and only they: the framework's
    /// defaults (loopback) are dropped, and a chain of trusted proxies is followed to the first untrusted hop.
    /// </summary>
    private static ForwardedHeadersOptions ForwardedFrom(IReadOnlyList<System.Net.IPNetwork> proxies)
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = null };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in proxies)
        {
            forwarded.KnownIPNetworks.Add(network);
        }
        return forwarded;
    }

    private static string UrlHost(string host) =>
        System.Net.IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
}
