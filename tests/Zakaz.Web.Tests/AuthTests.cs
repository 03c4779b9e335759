using System.Net;
using System.Net.Http.Headers;
using Zakaz.Testing;
using Zakaz.Web.Auth;

namespace Zakaz.Web.Tests;

/// <summary>Who gets in: the login form, the API token, open access on loopback only; and the probes, which need neither.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class AuthTests(ZakazSchemaFixture schema)
{
    private const string Password = "correct horse battery";
    private const string Token = "read-only-token";

    // Few iterations keep the test fast; the format carries the count, so verification is the same code.
    private static readonly string Hash = PasswordHash.Create(Password, iterations: 1_000);

    [Fact]
    public async Task Without_login_the_api_says_401_and_pages_redirect_to_the_login()
    {
        await using var dashboard = await StartAsync();

        using var api = await dashboard.Http.GetAsync("/api/sales/kpis");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("/login", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var page = await dashboard.Http.GetAsync("/marketing?city=москва");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        // The return address is the path and query as sent (already percent-encoded), encoded once more as a parameter.
        Assert.Equal("/login?return=" + Uri.EscapeDataString(new Uri(dashboard.App.Url, "/marketing?city=москва").PathAndQuery), page.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logging_in_sets_a_secure_session_cookie_that_opens_the_api()
    {
        await using var dashboard = await StartAsync();

        using var wrong = await LoginAsync(dashboard, "not it");
        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.StartsWith("/login?error=1", wrong.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var right = await LoginAsync(dashboard, Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/plan", right.Headers.Location!.OriginalString);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sales/kpis");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var api = await dashboard.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/sales/kpis");
        forged.Headers.Add("Cookie", $"zakaz_session=99999999999.{new string('0', 64)}");
        using var refused = await dashboard.Http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_api_token_opens_the_api()
    {
        await using var dashboard = await StartAsync();

        await dashboard.GetJsonAsync("/api/filters", Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/filters");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
        using var wrong = await dashboard.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Probes_and_the_login_page_need_no_login()
    {
        await using var dashboard = await StartAsync();

        Assert.Equal("ok", (await dashboard.GetJsonAsync("/healthz")).GetProperty("store").GetString());
        // No source is watched here, so nothing can be late.
        Assert.Equal("ready", (await dashboard.GetJsonAsync("/readyz")).GetProperty("status").GetString());
        using var login = await dashboard.Http.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Readyz_is_503_when_a_watched_source_is_late()
    {
        await schema.ResetDataAsync();
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o => o.Sources = ["qtickets"]);

        using var response = await dashboard.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"not_ready\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_access_is_refused_off_loopback_and_a_login_is_required_otherwise()
    {
        var open = await Assert.ThrowsAsync<DashboardConfigurationException>(() =>
            ZakazWebApp.StartAsync(schema.Store, new DashboardOptions { Host = "0.0.0.0", Port = 0, Open = true }));
        Assert.Contains("loopback", open.Message, StringComparison.Ordinal);

        var none = await Assert.ThrowsAsync<DashboardConfigurationException>(() =>
            ZakazWebApp.StartAsync(schema.Store, new DashboardOptions { Port = 0 }));
        Assert.Contains("ZAKAZ_DASHBOARD_PASSWORD_HASH", none.Message, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<DashboardConfigurationException>(() =>
            ZakazWebApp.StartAsync(schema.Store, new DashboardOptions { Port = 0, PasswordHash = "plain-text" }));
        Assert.Contains("hash-password", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_outlives_a_restart_with_the_same_key_file_and_no_other_key_opens_it()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-session-").FullName;
        var key = SessionKey.InDirectory(directory);
        Assert.Equal(key, SessionKey.InDirectory(directory));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, SessionKey.FileName)));
        }

        string cookie;
        await using (var first = await StartAsync(key))
        {
            using var login = await LoginAsync(first, Password);
            cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        }
        await using var restarted = await StartAsync(SessionKey.InDirectory(directory));
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(restarted, cookie));
        await using var otherKey = await StartAsync(SessionKey.FromSecret("another deployment's secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(otherKey, cookie));
        await using var noKey = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(noKey, cookie));
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(Dashboard dashboard, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/freshness");
        request.Headers.Add("Cookie", cookie);
        using var response = await dashboard.Http.SendAsync(request);
        return response.StatusCode;
    }

    private Task<Dashboard> StartAsync(byte[]? sessionKey = null) => Dashboard.StartAsync(schema.Store, o =>
    {
        o.SessionKey = sessionKey;
        o.Open = false;
        o.PasswordHash = Hash;
        o.ApiToken = Token;
        o.Sources = [];
    });

    private static Task<HttpResponseMessage> LoginAsync(Dashboard dashboard, string password) =>
        dashboard.Http.PostAsync("/login?return=" + Uri.EscapeDataString("/plan"),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("password", password)]));
}
