using Zakaz.Sandbox.ClickHouseServer;

using Zakaz.Storage;

namespace Zakaz.Testing;

/// <summary>One throw-away ClickHouse server per test process (Debian's 18.16: it checks the HTTP protocol, not the schema).</summary>
public static class SharedServer
{
    private static readonly Lazy<Task<LocalClickHouseServer>> Server = new(() => LocalClickHouseServer.StartAsync());

    public static Task<LocalClickHouseServer> GetAsync() => Server.Value;

    public static async Task<StorageOptions> OptionsAsync(bool compression = false)
    {
        var server = await GetAsync();
        return new StorageOptions { Url = server.Url.ToString(), User = server.User, Password = server.Password, Compression = compression };
    }
}
