using Zakaz.Pipeline.VkAds;
using Zakaz.Sandbox.VkAds;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Sources.VkAds.Tests;

/// <summary>The tokens at rest in zakaz.meta_oauth_tokens: sealed with the store's key, so the table alone does not give them away.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class VkAdsTokenTableTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_minted_token_is_stored_sealed_and_no_reader_of_the_table_finds_its_text()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 200, Anchor = Anchor });
        var options = Options(sandbox);

        await CallAsync(options);
        var token = await new VkAdsTokenTable(schema.Store).ReadAsync(options.TokenKey, CancellationToken.None);
        var raw = await RawRowsAsync();

        Assert.NotNull(token);
        var (access, refresh) = Assert.Single(raw);
        Assert.StartsWith(StoreSecrets.SealedPrefix, access, StringComparison.Ordinal);
        Assert.StartsWith(StoreSecrets.SealedPrefix, refresh, StringComparison.Ordinal);
        Assert.DoesNotContain(token.AccessToken, access + refresh, StringComparison.Ordinal);
        Assert.DoesNotContain(token.RefreshToken, access + refresh, StringComparison.Ordinal);
        // Another deployment's key does not open it, and says why instead of handing out garbage.
        var error = Assert.Throws<StoreSecretsException>(() => StoreSecrets.FromSetting(new string('k', 40)).Open(access, "zakaz.meta_oauth_tokens.access_token"));
        Assert.Contains("sealed with another key than ZAKAZ_SECRETS_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_an_earlier_version_stored_in_clear_keeps_working_and_is_sealed_with_no_clear_copy_left()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 200, Anchor = Anchor });
        var options = Options(sandbox);
        await CallAsync(options);
        var live = (await new VkAdsTokenTable(schema.Store).ReadAsync(options.TokenKey, CancellationToken.None))!;
        // What the previous version left: the same live token, in clear, in two versions of the row.
        await schema.Store.ExecuteAsync("TRUNCATE TABLE zakaz.meta_oauth_tokens");
        for (var version = 1; version <= 2; version++)
        {
            await schema.Store.ExecuteAsync("""
                INSERT INTO zakaz.meta_oauth_tokens (host, client_id, agency_client, access_token, refresh_token, expires_at, _ver, _updated_at)
                VALUES ({host:String}, {client:String}, '', {access:String}, {refresh:String}, {expires:DateTime('UTC')}, {ver:UInt64}, now())
                """, new QueryParameters()
                .Add("host", options.TokenKey.Host).Add("client", options.TokenKey.ClientId)
                .Add("access", live.AccessToken).Add("refresh", live.RefreshToken).Add("expires", live.ExpiresAt).Add("ver", (ulong)version));
        }

        await CallAsync(options);
        var raw = await RawRowsAsync();

        // Used as it was, not minted again (the platform allows five), and no row of the table holds it in clear any more.
        Assert.Equal(1, sandbox.TokensMinted);
        Assert.Equal(0, sandbox.TokensRefreshed);
        Assert.NotEmpty(raw);
        Assert.All(raw, row =>
        {
            Assert.StartsWith(StoreSecrets.SealedPrefix, row.Access, StringComparison.Ordinal);
            Assert.DoesNotContain(live.AccessToken, row.Access + row.Refresh, StringComparison.Ordinal);
            Assert.DoesNotContain(live.RefreshToken, row.Access + row.Refresh, StringComparison.Ordinal);
        });
        Assert.Equal(live, await new VkAdsTokenTable(schema.Store).ReadAsync(options.TokenKey, CancellationToken.None));
    }

    /// <summary>One API call through a new client, which takes its token from the table (minting one only when there is none).</summary>
    private async Task CallAsync(VkAdsClientOptions options)
    {
        using var client = VkAdsSource.Create(options, new VkAdsTokenTable(schema.Store));
        await client.GetAccountAsync();
    }

    /// <summary>Every stored version, as a reader of the table sees it (no FINAL).</summary>
    private async Task<List<(string Access, string Refresh)>> RawRowsAsync()
    {
        var rows = await schema.Store.QueryAsync("SELECT access_token, refresh_token FROM zakaz.meta_oauth_tokens");
        return Enumerable.Range(0, rows.Rows.Count).Select(i => (rows.Get<string>(i, 0), rows.Get<string>(i, 1))).ToList();
    }

    private static VkAdsClientOptions Options(VkAdsSandbox sandbox) => new()
    {
        BaseUrl = sandbox.BaseUrl,
        ClientId = sandbox.ClientId,
        ClientSecret = sandbox.ClientSecret,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRequestsPerSecond = 1_000,
    };
}
