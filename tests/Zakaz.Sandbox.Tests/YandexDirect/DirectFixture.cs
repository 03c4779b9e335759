using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Sandbox.Tests.YandexDirect;

/// <summary>One sandbox for the collection, used without restatements or faults; tests that change it start their own.</summary>
public sealed class DirectFixture : IAsyncLifetime
{
    private YandexDirectSandbox? _sandbox;

    public YandexDirectSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("Sandbox not started.");

    public DirectClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options);
        Client = new DirectClient(_sandbox);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DirectCollection : ICollectionFixture<DirectFixture>
{
    public const string Name = "Yandex Direct sandbox";
}
