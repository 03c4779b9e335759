using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Sandbox.Tests;

/// <summary>
/// One server for the whole collection: starting one takes about a second. A missing server binary fails every
/// test of the collection with the install hint instead of skipping, so CI cannot pass without running them.
/// </summary>
public sealed class ClickHouseServerFixture : IAsyncLifetime
{
    private LocalClickHouseServer? _server;

    public LocalClickHouseServer Server => _server ?? throw new InvalidOperationException("Server not started.");

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => _server = await LocalClickHouseServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClickHouseServerCollection : ICollectionFixture<ClickHouseServerFixture>
{
    public const string Name = "ClickHouse server";
}
