using Zakaz.Testing;
namespace Zakaz.Storage.Tests.Contract;

/// <summary>The contract against chDB in this process.</summary>
public sealed class EmbeddedStoreContract : StoreContract
{
    protected override IClickHouseStore Store => SharedEmbeddedStore.Instance;

    [Fact]
    public async Task A_NullReferenceException_after_chDB_is_loaded_is_an_ordinary_exception()
    {
        Assert.Equal(2UL, (await Store.QueryAsync("SELECT 1 + 1")).Scalar<ulong>());

        // A real null dereference raises SIGSEGV; with chDB's handlers enabled it would kill the process.
        var caught = Assert.Throws<NullReferenceException>(() => Dereference(null));

        Assert.NotNull(caught);
        Assert.Equal(3UL, (await Store.QueryAsync("SELECT 1 + 2")).Scalar<ulong>());
    }

    [Fact]
    public async Task A_second_data_directory_in_the_same_process_is_refused_clearly()
    {
        _ = await Store.QueryAsync("SELECT 1");

        var error = Assert.Throws<StoreUnavailableException>(() => ChDb.ChDbStore.Open(Path.Combine(Path.GetTempPath(), "zakaz-other-" + Guid.NewGuid())));

        Assert.Contains("one data directory per process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_library_names_the_path_and_the_fix()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "libchdb.so");

        var message = ChDb.ChDbLibrary.MissingMessage(missing);

        Assert.Contains(missing, message, StringComparison.Ordinal);
        Assert.Contains("scripts/install-chdb.sh", message, StringComparison.Ordinal);
    }

    private static int Dereference(string? text) => text!.Length;
}
