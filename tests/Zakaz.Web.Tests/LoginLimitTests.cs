using System.Net;
using Zakaz.Testing;
using Zakaz.Web.Auth;

namespace Zakaz.Web.Tests;

/// <summary>
/// Password guessing against <c>POST /login</c>: bounded per client and in total, 429 in Russian with
/// Retry-After beyond the bounds, and never more hashing at once than <see cref="LoginLimits.Concurrent"/>.
/// The signal is the app's own count of password checks, not a clock.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class LoginLimitTests(ZakazSchemaFixture schema)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_flood_of_guesses_hashes_one_at_a_time_refuses_the_rest_unhashed_and_leaves_healthz_answering()
    {
        // A slow hash (about half a second here) keeps the flood going while /healthz is asked.
        await using var dashboard = await StartAsync(PasswordHash.Create(Password, 2_000_000), new LoginLimits());
        var passwords = dashboard.App.Passwords;

        var guesses = Enumerable.Range(0, 24).Select(i => GuessAsync(dashboard, $"guess {i}")).ToArray();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (passwords.Running == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }
        var health = await dashboard.GetJsonAsync("/healthz");
        var answers = await Task.WhenAll(guesses);

        Assert.Equal("ok", health.GetProperty("store").GetString());
        Assert.Equal(1, passwords.MostAtOnce);
        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToArray();
        var hashed = answers.Where(a => a.Status == HttpStatusCode.Redirect).ToArray();
        Assert.Equal(answers.Length, refused.Length + hashed.Length);
        // Every answer that was not refused cost one hash, and no refused one did.
        Assert.Equal(hashed.Length, passwords.Total);
        Assert.InRange(hashed.Length, 1, new LoginLimits().PerClient);
        Assert.All(hashed, a => Assert.StartsWith("/login?error=1", a.Location, StringComparison.Ordinal));
        Assert.All(refused, a =>
        {
            Assert.InRange(a.RetryAfter, 1, 60);
            Assert.Contains($"Слишком много попыток входа. Повторите через {a.RetryAfter} с.", a.Body, StringComparison.Ordinal);
            Assert.Contains("name=\"password\"", a.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Each_client_has_its_own_window_and_all_clients_share_one()
    {
        var limits = new LoginLimits { PerClient = 2, Total = 5, Window = TimeSpan.FromHours(1) };
        await using var dashboard = await StartAsync(PasswordHash.Create(Password, PasswordHash.MinIterations), limits, [IPNetwork.Parse("127.0.0.1/32")]);

        // Forwarded by the trusted proxy (this test): each X-Forwarded-For is a client; an IPv6 one counts by its /64.
        var statuses = new List<HttpStatusCode>();
        foreach (var (password, client) in new[]
        {
            ("guess", "198.51.100.7"), ("guess", "198.51.100.7"), ("guess", "198.51.100.7"),
            ("guess", "2001:db8:1:2::7"), ("guess", "2001:db8:1:2::8"), ("guess", "2001:db8:1:2::9"),
            (Password, "203.0.113.9"),
            (Password, "203.0.113.10"),
        })
        {
            statuses.Add((await GuessAsync(dashboard, password, client)).Status);
        }
        var last = await GuessAsync(dashboard, Password, "203.0.113.11");

        Assert.Equal(
        [
            HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests,
            HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests,
            HttpStatusCode.Redirect,
            HttpStatusCode.TooManyRequests,
        ], statuses);
        // The shared window is used up for everyone, and says so until it ends.
        Assert.Equal(HttpStatusCode.TooManyRequests, last.Status);
        Assert.InRange(last.RetryAfter, 3500, 3600);
        Assert.Equal(5, dashboard.App.Passwords.Total);
        // The limits guard the password only: the login page and the probes still answer.
        Assert.Equal("ok", (await dashboard.GetJsonAsync("/healthz")).GetProperty("store").GetString());
        using var login = await dashboard.Http.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private Task<Dashboard> StartAsync(string hash, LoginLimits limits, IReadOnlyList<IPNetwork>? proxies = null) =>
        Dashboard.StartAsync(schema.Store, o =>
        {
            o.Open = false;
            o.PasswordHash = hash;
            o.LoginLimits = limits;
            o.TrustedProxies = proxies ?? [];
            o.Sources = [];
        });

    private static async Task<Guess> GuessAsync(Dashboard dashboard, string password, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login?return=%2Fplan")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("password", password)]),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await dashboard.Http.SendAsync(request);
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0;
        return new Guess(response.StatusCode, response.Headers.Location?.OriginalString ?? "", retryAfter, await response.Content.ReadAsStringAsync());
    }

    private sealed record Guess(HttpStatusCode Status, string Location, int RetryAfter, string Body);
}
