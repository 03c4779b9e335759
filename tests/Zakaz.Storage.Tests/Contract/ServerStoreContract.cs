using Zakaz.Storage.Http;
using Zakaz.Testing;

namespace Zakaz.Storage.Tests.Contract;

/// <summary>The contract over HTTP against a real ClickHouse server, plus what only a server has: logins, networks, compression.</summary>
public sealed class ServerStoreContract : StoreContract
{
    private HttpClickHouseStore? _store;

    protected override IClickHouseStore Store => _store ?? throw new InvalidOperationException("The server store is not started.");

    // Debian's 18.16 server treats LowCardinality as experimental; newer engines ignore the obsolete setting.
    protected override QueryOptions? CreateTableOptions => new() { Settings = new Dictionary<string, string> { ["allow_experimental_low_cardinality_type"] = "1" } };

    // Debian's 18.16 answers "Type mismatch in IN or VALUES section" to `x IN ['a']`; servers with query parameters (19.11+) take it.
    protected override bool InAcceptsAnArray => false;

    public override async Task InitializeAsync()
    {
        _store = new HttpClickHouseStore(await SharedServer.OptionsAsync());
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Store.DisposeAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_one_clear_authentication_error()
    {
        var options = await SharedServer.OptionsAsync();
        options.Password = "not-the-password";
        await using var store = new HttpClickHouseStore(options);

        var error = await Assert.ThrowsAsync<StoreAuthenticationException>(() => store.QueryAsync("SELECT 1"));

        Assert.True(error.IsAuthenticationFailure);
        Assert.Contains($"refused user '{options.User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_clear_line_naming_the_address()
    {
        var port = FreePort();
        await using var store = new HttpClickHouseStore(new StorageOptions { Url = $"http://zakaz:secret@127.0.0.1:{port}/zakaz" });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.QueryAsync("SELECT 1"));

        Assert.Equal($"Cannot reach ClickHouse at http://127.0.0.1:{port} (connection refused). Is the server running? Check CLICKHOUSE_URL or CLICKHOUSE_HOST/CLICKHOUSE_PORT.", error.Message);
    }

    [Fact]
    public async Task Compressed_inserts_and_answers_carry_the_same_data()
    {
        await using var store = new HttpClickHouseStore(await SharedServer.OptionsAsync(compression: true));
        await store.ExecuteAsync($"CREATE TABLE {Database}.gz (id UInt64, label String) ENGINE = MergeTree ORDER BY id");
        var schema = new RowSchema<int>().Column("id", "UInt64", i => (ulong)i).Column("label", "String", i => "строка " + i);

        var written = await store.InsertAsync($"{Database}.gz", schema, Enumerable.Range(1, 50_000));
        var result = await store.QueryAsync($"SELECT count(), sum(id), max(label) FROM {Database}.gz");

        Assert.Equal(50_000, written);
        Assert.Equal(50_000UL, result.Get<ulong>(0, 0));
        Assert.Equal(50_000UL * 50_001 / 2, result.Get<ulong>(0, 1));
        Assert.Equal("строка 9999", result.Get<string>(0, 2));
    }

    [Fact]
    public async Task The_query_id_reaches_the_server_and_its_errors()
    {
        var id = "zakaz-test-" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAnyAsync<ClickHouseException>(() => Store.QueryAsync("SELECT throwIf(1)", options: new QueryOptions { QueryId = id }));

        Assert.Equal(id, error.QueryId);
        Assert.Equal(395, error.Code);
    }

    [Fact]
    public async Task A_query_over_its_time_limit_fails_as_a_timeout()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Store.QueryAsync("SELECT sleep(3)", options: new QueryOptions { Timeout = TimeSpan.FromMilliseconds(500) }));

        Assert.True(error is TimeoutException or ClickHouseException { Code: 159 }, error.ToString());
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
