using Zakaz.Storage.Http;

namespace Zakaz.Storage.Tests.Contract;

public sealed class ServerStoreContract : StoreContract
{
    private readonly HttpClickHouseStore _store = new(new StorageOptions { Url = Environment.GetEnvironmentVariable("TMP_CH_URL") });

    protected override IClickHouseStore Store => _store;

    protected override QueryOptions? CreateTableOptions => new() { Settings = new Dictionary<string, string> { ["allow_experimental_low_cardinality_type"] = "1" } };
}
