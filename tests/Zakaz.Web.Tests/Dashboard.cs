using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Zakaz.Storage;
using Zakaz.Web.Auth;

namespace Zakaz.Web.Tests;

/// <summary>The dashboard app on a free loopback port over a store, with an HTTP client pointed at it.</summary>
internal sealed class Dashboard : IAsyncDisposable
{
    private Dashboard(ZakazWebApp app, HttpClient http)
    {
        App = app;
        Http = http;
    }

    public ZakazWebApp App { get; }

    public HttpClient Http { get; }

    /// <summary>What the app logged: shown when a request fails.</summary>
    public FakeLogCollector Log { get; private init; } = new();

    public static async Task<Dashboard> StartAsync(IClickHouseStore store, Action<DashboardOptions>? configure = null)
    {
        var log = new FakeLogCollector();
        var options = new DashboardOptions { Port = 0, Open = true, Logging = logging => logging.AddProvider(new FakeLoggerProvider(log)) };
        configure?.Invoke(options);
        var app = await ZakazWebApp.StartAsync(store, options);
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Url };
        return new Dashboard(app, http) { Log = log };
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}\n{string.Join("\n", Log.GetSnapshot().Select(r => r.Message))}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The login session a cookie (<c>zakaz_session=VALUE</c>) carries, as the app reads it.</summary>
    public string? SessionOf(string cookie)
    {
        var format = App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(DashboardAuth.SessionScheme).TicketDataFormat;
        return format.Unprotect(cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..])?.Principal.FindFirst(DashboardAuth.SessionClaim)?.Value;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
