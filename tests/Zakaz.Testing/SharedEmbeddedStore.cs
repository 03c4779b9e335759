using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Testing;

/// <summary>
/// chDB binds one data directory per process, so every test in this process shares one embedded
/// store on a temporary directory; tests isolate themselves with a database each.
/// </summary>
public static class SharedEmbeddedStore
{
    private static readonly Lazy<ChDbStore> Store = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "zakaz-tests-" + Environment.ProcessId);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // The engine may still hold files open while the process exits; the temp cleaner gets them.
            }
        };
        return ChDbStore.Open(path);
    });

    public static ChDbStore Instance => Store.Value;

    public static string NewDatabaseName(string prefix = "test") => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
