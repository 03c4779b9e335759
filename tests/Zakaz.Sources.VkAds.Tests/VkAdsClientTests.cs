using Microsoft.Extensions.DependencyInjection;
using Zakaz.Pipeline.VkAds;
using Zakaz.Sandbox.VkAds;
using Zakaz.Testing;

namespace Zakaz.Sources.VkAds.Tests;

/// <summary>The client against the VK Ads sandbox over real HTTP, its tokens kept in the real zakaz.meta_oauth_tokens.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class VkAdsClientTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));

    private readonly List<string> _log = [];

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reads_every_object_and_day_the_cabinet_holds()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions { MaxStatsDays = 10 });
        using var client = Client(sandbox, pageLimit: 7);

        var account = await client.GetAccountAsync();
        var plans = await client.ListAdPlansAsync();
        var groups = await client.ListAdGroupsAsync();
        var banners = await client.ListBannersAsync();
        var (from, to) = sandbox.SpendDays;
        var days = await client.GetBannerDaysAsync(banners.Select(b => b.Id).ToArray(), from, to);

        Assert.Equal("RUB", account.Currency);
        Assert.Equal(sandbox.CampaignCount, plans.Count);
        Assert.Contains(plans, p => p.Status == "deleted");
        Assert.Equal(sandbox.BannerCount, banners.Count);
        Assert.Contains(groups, g => g.Utm.Contains("utm_campaign=", StringComparison.Ordinal));
        Assert.All(banners, b => Assert.NotEqual("", b.TargetUrl));
        // A row for every banner and day, zero days included; spend read exactly from its string form.
        Assert.Equal(banners.Count * (to.DayNumber - from.DayNumber + 1), days.Count);
        Assert.Equal(sandbox.Truth.Total.Spend, days.Sum(d => d.Spent));
        Assert.Equal(sandbox.Truth.Total.Clicks, days.Sum(d => d.Clicks));
        Assert.Contains(_log, line => line.Contains("ERR_LIMIT_EXCEEDED", StringComparison.Ordinal));
        Assert.Equal(1, sandbox.TokensMinted);
    }

    [Fact]
    public async Task A_stored_token_is_reused_by_the_next_run_and_refreshed_when_it_expires_mid_run()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        using (var first = Client(sandbox))
        {
            await first.GetAccountAsync();
        }
        using var second = Client(sandbox);
        await second.GetAccountAsync();
        Assert.Equal(1, sandbox.TokensMinted);

        sandbox.Faults.FailNext("ad_plans", VkAdsFaultKind.ExpireToken, 1);
        var plans = await second.ListAdPlansAsync();

        Assert.Equal(sandbox.CampaignCount, plans.Count);
        Assert.Equal(1, sandbox.TokensMinted);
        Assert.Equal(1, sandbox.TokensRefreshed);
        Assert.Equal(1, second.TokensRefreshed);
    }

    [Fact]
    public async Task A_token_close_to_expiry_is_refreshed_before_use_not_minted_again()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions { TokenLifetime = TimeSpan.FromHours(1) });
        using (var first = Client(sandbox))
        {
            await first.GetAccountAsync();
        }
        using var second = Client(sandbox);
        await second.GetAccountAsync();

        // One hour of life is less than the two-hour margin: the second run refreshes instead of using it.
        Assert.Equal(1, sandbox.TokensMinted);
        Assert.Equal(1, sandbox.TokensRefreshed);
    }

    [Fact]
    public async Task A_second_401_after_the_renewal_fails_clearly()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        using var client = Client(sandbox);
        await client.GetAccountAsync();
        sandbox.Faults.FailNext("banners", VkAdsFaultKind.Unauthorized, 2);

        var error = await Assert.ThrowsAsync<VkAdsAuthException>(() => client.ListBannersAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("401 expired_token again with a renewed token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.ClientSecret, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.TokensRefreshed);
    }

    [Fact]
    public async Task An_invalidated_token_is_replaced_by_a_refresh()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        using var client = Client(sandbox);
        sandbox.Faults.FailNext("user", VkAdsFaultKind.InvalidateToken, 1);

        // The invalidated token's refresh token went with it, so the client mints: still one live token.
        await client.GetAccountAsync();

        Assert.Equal(1, sandbox.TokensLive);
    }

    [Fact]
    public async Task The_sixth_token_is_refused_with_a_clear_fatal_error()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        for (var i = 0; i < 5; i++)
        {
            // Losing the stored token is what makes a client mint again.
            await schema.Store.ExecuteAsync("TRUNCATE TABLE zakaz.meta_oauth_tokens");
            using var client = Client(sandbox);
            await client.GetAccountAsync();
        }
        await schema.Store.ExecuteAsync("TRUNCATE TABLE zakaz.meta_oauth_tokens");
        using var sixth = Client(sandbox);

        var error = await Assert.ThrowsAsync<VkAdsAuthException>(() => sixth.GetAccountAsync());

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("maximum of 5 live tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, sandbox.TokensMinted);
    }

    [Fact]
    public async Task Wrong_client_credentials_fail_clearly_without_the_secret()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        using var client = VkAdsSource.Create(new VkAdsClientOptions
        {
            BaseUrl = sandbox.BaseUrl,
            ClientId = sandbox.ClientId,
            ClientSecret = "not-the-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        }, new VkAdsTokenTable(schema.Store));

        var error = await Assert.ThrowsAsync<VkAdsAuthException>(() => client.GetAccountAsync());

        Assert.Contains("check VK_ADS_CLIENT_ID, VK_ADS_CLIENT_SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storm_of_429s_and_5xx_is_ridden_out()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        using var client = Client(sandbox);
        var banners = await client.ListBannersAsync();
        sandbox.Faults.FailNext("stats", VkAdsFaultKind.TooManyRequests, 4);
        sandbox.Faults.Fail("stats", VkAdsFaultKind.TooManyRequestsRetryAfter, 6);
        sandbox.Faults.Fail("stats", VkAdsFaultKind.ServiceUnavailable, 7);
        sandbox.Faults.Fail("stats", VkAdsFaultKind.DropConnection, 8);
        var (from, to) = sandbox.SpendDays;

        var days = await client.GetBannerDaysAsync(banners.Select(b => b.Id).ToArray(), from, to);

        Assert.Equal(sandbox.Truth.Total.Spend, days.Sum(d => d.Spent));
        Assert.Equal(5, _log.Count(line => line.Contains("HTTP 429", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_registration_gives_the_client_as_the_source()
    {
        await using var sandbox = await StartAsync(new VkAdsSandboxOptions());
        await using var services = new ServiceCollection()
            .AddVkAdsSource(_ => new VkAdsClientOptions
            {
                BaseUrl = sandbox.BaseUrl,
                ClientId = sandbox.ClientId,
                ClientSecret = sandbox.ClientSecret,
                MaxRequestsPerSecond = 1_000,
            }, _ => new VkAdsTokenTable(schema.Store))
            .BuildServiceProvider();

        var source = services.GetRequiredService<IVkAdsSource>();

        Assert.Same(services.GetRequiredService<VkAdsClient>(), source);
        Assert.Equal("RUB", (await source.GetAccountAsync()).Currency);
        // The token request and the account request.
        Assert.Equal(2, source.Requests);
    }

    private Task<VkAdsSandbox> StartAsync(VkAdsSandboxOptions options) =>
        VkAdsSandbox.StartAsync(options with { Orders = 2_000, Anchor = Anchor });

    private VkAdsClient Client(VkAdsSandbox sandbox, int pageLimit = 50) => VkAdsSource.Create(new VkAdsClientOptions
    {
        BaseUrl = sandbox.BaseUrl,
        ClientId = sandbox.ClientId,
        ClientSecret = sandbox.ClientSecret,
        PageLimit = pageLimit,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRequestsPerSecond = 1_000,
    }, new VkAdsTokenTable(schema.Store), TestLogs.Into(_log));
}
