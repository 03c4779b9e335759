using Zakaz.Storage.ChDb;
using Zakaz.Storage.Http;

namespace Zakaz.Storage;

/// <summary>Opens the store the configuration names: a server when one is configured, else the embedded data directory.</summary>
public static class ClickHouseStores
{
    public static IClickHouseStore Open(StorageOptions options) =>
        options.UsesServer ? new HttpClickHouseStore(options) : ChDbStore.Open(options.DataDirectory, options.ChDbLibrary);
}
