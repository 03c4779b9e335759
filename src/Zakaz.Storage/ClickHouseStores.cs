using Microsoft.Extensions.Logging;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Http;

namespace Zakaz.Storage;

/// <summary>Opens the store the configuration names: a server when one is configured, else the embedded data directory.</summary>
public static class ClickHouseStores
{
    /// <summary>
    /// <paramref name="logger"/> hears what was wrong but fixed (a data directory open to other users); an embedded store
    /// may write and read backups under <paramref name="backupDirectory"/> (see <see cref="ChDbStore.Open"/>).
    /// </summary>
    public static IClickHouseStore Open(StorageOptions options, ILogger? logger = null, string? backupDirectory = null) =>
        options.UsesServer ? new HttpClickHouseStore(options) : ChDbStore.Open(options.DataDirectory, options.ChDbLibrary, logger: logger, backupDirectory: backupDirectory);
}
