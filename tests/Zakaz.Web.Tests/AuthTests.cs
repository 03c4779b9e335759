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
    private const string Token = "read-only-token-of-the-dashboard-api";

    // The fewest iterations allowed keep the test fast; the format carries the count, so verification is the same code.
    private static readonly string Hash = PasswordHash.Create(Password, PasswordHash.MinIterations);

    [Fact]
    public async Task Without_login_the_api_says_401_and_pages_redirect_to_the_login()
    {
        await using var dashboard = await StartAsync();

        using var api = await dashboard.Http.GetAsync("/api/sales/kpis");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", api.Headers.WwwAuthenticate.ToString());
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
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
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
    public async Task A_session_outlives_a_restart_with_the_same_keys_and_no_other_key_opens_it()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-session-").FullName;
        string cookie;
        await using (var first = await StartAsync(stateDirectory: directory))
        {
            using var login = await LoginAsync(first, Password);
            cookie = Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
        }
        var keys = Path.Combine(directory, LoginKeys.DirectoryName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            var files = Directory.GetFiles(keys);
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        await using var restarted = await StartAsync(stateDirectory: directory);
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(restarted, cookie));
        await using var otherKey = await StartAsync(sessionSecret: "another deployment's secret, long enough to pass");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(otherKey, cookie));
        await using var noKey = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(noKey, cookie));

        // Instances sharing ZAKAZ_DASHBOARD_SESSION_KEY share the sessions, without sharing files.
        const string Shared = "one deployment's session key, shared by its instances";
        await using (var one = await StartAsync(sessionSecret: Shared))
        {
            cookie = await SessionCookieAsync(one);
        }
        await using var another = await StartAsync(sessionSecret: Shared);
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(another, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(restarted, cookie));
    }

    // Each is a value of ?return= as sent (percent-encoded once for the query): every way known to leave a
    // site through a redirect, which browsers read leniently (tabs and newlines dropped, \ read as /).
    [Theory]
    [InlineData("%2F%2Fevil.example")] // //evil.example
    [InlineData("%2F%2F%2Fevil.example")]
    [InlineData("%2F%5Cevil.example")] // /\evil.example
    [InlineData("%5C%5Cevil.example")]
    [InlineData("%2F%09%2Fevil.example")] // /<tab>/evil.example, which browsers read as //evil.example
    [InlineData("%09%2F%2Fevil.example")]
    [InlineData("%20%2F%2Fevil.example")]
    [InlineData("%2F%0D%0A%2Fevil.example")] // CR LF
    [InlineData("%2F%0A%2Fevil.example")]
    [InlineData("%252F%252Fevil.example")] // //evil.example encoded twice
    [InlineData("%2F%252F%2Fevil.example")] // /%2F/evil.example: //evil.example once decoded
    [InlineData("%2F%255Cevil.example")] // /%5Cevil.example: /\evil.example once decoded
    [InlineData("%2F%2509%2Fevil.example")] // /%09/evil.example
    [InlineData("%2F%250D%250A%2Fevil.example")] // /%0D%0A/evil.example
    [InlineData("https%3A%2F%2Fevil.example")]
    [InlineData("%2F%2Fevil.example%2F%3Fnext%3D%2Fplan")]
    [InlineData("javascript%3Aalert(1)")]
    [InlineData("%2F%EF%BC%8Fevil.example")] // fullwidth solidus
    [InlineData("%2F%25EF%25BC%258Fevil.example")] // fullwidth solidus, encoded: // once normalised
    [InlineData("%2F%E2%80%8B%2Fevil.example")] // zero-width space
    [InlineData("%2F%25E2%2580%258B%2Fevil.example")]
    [InlineData("%2F%E2%80%A8%2Fevil.example")] // line separator
    [InlineData("%2F%C2%A0%2Fevil.example")] // no-break space
    [InlineData("evil.example")]
    [InlineData("")]
    public async Task A_login_returns_only_to_a_path_of_this_site(string escapedReturn)
    {
        await using var dashboard = await StartAsync();

        using var right = await dashboard.Http.PostAsync("/login?return=" + escapedReturn, PasswordForm(Password));

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location!.OriginalString);
        using var wrong = await dashboard.Http.PostAsync("/login?return=" + escapedReturn, PasswordForm("not it"));
        Assert.Equal("/login?error=1&return=%2F", wrong.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/plan")]
    [InlineData("/marketing?range=7d&city=%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&city=a%5Cb")]
    [InlineData("/inventory#event-310008")]
    [InlineData("/api/sales/daily?from=2026-03-01&format=csv")]
    public async Task A_login_returns_to_the_page_it_came_from(string back)
    {
        await using var dashboard = await StartAsync();

        using var right = await dashboard.Http.PostAsync("/login?return=" + Uri.EscapeDataString(back), PasswordForm(Password));

        Assert.Equal(back, right.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Short_secrets_and_unsafe_iteration_counts_are_refused_at_startup_naming_the_setting()
    {
        var token = await Assert.ThrowsAsync<DashboardConfigurationException>(() =>
            ZakazWebApp.StartAsync(schema.Store, new DashboardOptions { Port = 0, ApiToken = new string('t', 31) }));
        Assert.StartsWith("ZAKAZ_API_TOKEN (Dashboard:ApiToken) is 31 characters long; it must have at least 32", token.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('t', 31), token.Message, StringComparison.Ordinal);

        var sessionKey = Assert.Throws<DashboardConfigurationException>(() => ZakazWebApp.CheckAccess(new DashboardOptions { Open = true, SessionSecret = "short session key" }));
        Assert.StartsWith("ZAKAZ_DASHBOARD_SESSION_KEY (Dashboard:SessionKey) is 17 characters long", sessionKey.Message, StringComparison.Ordinal);
        ZakazWebApp.CheckAccess(new DashboardOptions { Open = true, SessionSecret = new string('k', 32) });

        var salt = Convert.ToBase64String(new byte[16]);
        var hash = Convert.ToBase64String(new byte[32]);
        foreach (var iterations in new[] { "1", "99999", "10000001", "2147483648", "99999999999999999999999" })
        {
            var refused = await Assert.ThrowsAsync<DashboardConfigurationException>(() =>
                ZakazWebApp.StartAsync(schema.Store, new DashboardOptions { Port = 0, PasswordHash = $"pbkdf2-sha256${iterations}${salt}${hash}" }));
            Assert.StartsWith("ZAKAZ_DASHBOARD_PASSWORD_HASH (Dashboard:PasswordHash) has ", refused.Message, StringComparison.Ordinal);
            Assert.Contains("iterations; it must have between 100000 and 10000000", refused.Message, StringComparison.Ordinal);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordHash.Create(Password, iterations: 1_000));
        PasswordHash.Validate(PasswordHash.Create(Password, PasswordHash.MaxIterations / 100));
    }

    [Fact]
    public async Task Logout_ends_that_session_only_and_for_good_even_across_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-logout-").FullName;
        var clock = new MovableTime();
        string first, second, third, thirdSession;
        await using (var dashboard = await StartAsync(stateDirectory: directory, time: clock))
        {
            first = await SessionCookieAsync(dashboard);
            second = await SessionCookieAsync(dashboard);
            Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(dashboard, first));

            using var logout = await PostWithCookieAsync(dashboard, "/logout", first);
            Assert.Equal("/login", logout.Headers.Location!.OriginalString);
            Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(logout.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

            // A browser that kept the cookie after logging out is refused; the other session goes on.
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(dashboard, first));
            Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(dashboard, second));
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, RevokedSessions.FileName)));
        }

        await using (var restarted = await StartAsync(stateDirectory: directory, time: clock))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(restarted, first));
            Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(restarted, second));
            using (await PostWithCookieAsync(restarted, "/logout", second))
            {
            }
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(restarted, second));
            Assert.Equal(2, File.ReadAllLines(Path.Combine(directory, RevokedSessions.FileName)).Length);

            // Once their cookies have expired, the revoked sessions are forgotten at the next logout.
            clock.Advance(TimeSpan.FromHours(13));
            third = await SessionCookieAsync(restarted);
            thirdSession = Assert.IsType<string>(restarted.SessionOf(third));
            using (await PostWithCookieAsync(restarted, "/logout", third))
            {
            }
        }
        var kept = Assert.Single(File.ReadAllLines(Path.Combine(directory, RevokedSessions.FileName)));
        Assert.Equal(thirdSession, kept.Split(' ')[0]);
    }

    [Fact]
    public async Task Forwarded_scheme_and_client_are_believed_from_trusted_proxies_only()
    {
        await using (var untrusted = await StartAsync(limits: new LoginLimits { PerClient = 2 }))
        {
            using var login = await LoginFromAsync(untrusted, Password, "203.0.113.1", "https");
            Assert.DoesNotContain("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
            // Anyone may write X-Forwarded-For: a new value each time is still the same client to the limits.
            using (await LoginFromAsync(untrusted, "not it", "203.0.113.2"))
            {
            }
            using var third = await LoginFromAsync(untrusted, "not it", "203.0.113.3");
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        }

        await using var behindProxy = await StartAsync(limits: new LoginLimits { PerClient = 2 }, proxies: [IPNetwork.Parse("127.0.0.0/8")]);
        using var secure = await LoginFromAsync(behindProxy, Password, "203.0.113.1", "https");
        var cookie = Assert.Single(secure.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        using var plain = await LoginFromAsync(behindProxy, Password, "203.0.113.1", "http");
        Assert.DoesNotContain("secure", Assert.Single(plain.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        using var limited = await LoginFromAsync(behindProxy, Password, "203.0.113.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        using var another = await LoginFromAsync(behindProxy, Password, "203.0.113.2");
        Assert.Equal(HttpStatusCode.Redirect, another.StatusCode);
    }

    [Fact]
    public async Task Open_access_answers_only_loopback_host_names()
    {
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o => o.Sources = []);
        var port = dashboard.App.Url.Port;

        foreach (var host in new[] { "evil.example", $"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io", "0.0.0.0" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, await StatusForHostAsync(dashboard, host, "/api/filters"));
            Assert.Equal(HttpStatusCode.BadRequest, await StatusForHostAsync(dashboard, host, "/healthz"));
        }
        foreach (var host in new[] { "localhost", $"localhost:{port}", "127.0.0.1", $"127.0.0.1:{port}", "[::1]", $"[::1]:{port}", "LOCALHOST" })
        {
            Assert.Equal(HttpStatusCode.OK, await StatusForHostAsync(dashboard, host, "/api/filters"));
        }
    }

    private static async Task<HttpStatusCode> StatusForHostAsync(Dashboard dashboard, string host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await dashboard.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> LoginFromAsync(Dashboard dashboard, string password, string forwardedFor, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = PasswordForm(password) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await dashboard.Http.SendAsync(request);
    }

    private static async Task<string> SessionCookieAsync(Dashboard dashboard)
    {
        using var login = await LoginAsync(dashboard, Password);
        return Assert.Single(login.Headers.GetValues("Set-Cookie")).Split(';')[0];
    }

    private static async Task<HttpResponseMessage> PostWithCookieAsync(Dashboard dashboard, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookie);
        return await dashboard.Http.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(Dashboard dashboard, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/freshness");
        request.Headers.Add("Cookie", cookie);
        using var response = await dashboard.Http.SendAsync(request);
        return response.StatusCode;
    }

    private Task<Dashboard> StartAsync(string? sessionSecret = null, string? stateDirectory = null, TimeProvider? time = null,
        LoginLimits? limits = null, IReadOnlyList<IPNetwork>? proxies = null) => Dashboard.StartAsync(schema.Store, o =>
    {
        o.SessionSecret = sessionSecret;
        o.StateDirectory = stateDirectory;
        o.Time = time ?? TimeProvider.System;
        o.LoginLimits = limits ?? new LoginLimits();
        o.TrustedProxies = proxies ?? [];
        o.Open = false;
        o.PasswordHash = Hash;
        o.ApiToken = Token;
        o.Sources = [];
    });

    private static Task<HttpResponseMessage> LoginAsync(Dashboard dashboard, string password) =>
        dashboard.Http.PostAsync("/login?return=" + Uri.EscapeDataString("/plan"), PasswordForm(password));

    private static FormUrlEncodedContent PasswordForm(string password) => new([new KeyValuePair<string, string>("password", password)]);
}
