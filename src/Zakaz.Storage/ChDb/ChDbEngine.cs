using System.Runtime.InteropServices;

namespace Zakaz.Storage.ChDb;

/// <summary>
/// The process-wide chDB engine, which binds one data path per process: stores on the same path
/// share it, and a different path is refused until every store on the first one is closed.
/// </summary>
internal static class ChDbEngine
{
    private static readonly Lock Gate = new();
    private static bool _loaded;
    private static string? _openPath;
    private static int _openStores;

    public static void Acquire(string libraryPath, string dataPath)
    {
        lock (Gate)
        {
            Load(libraryPath);
            if (_openPath is not null && _openPath != dataPath)
            {
                throw new StoreUnavailableException(
                    $"This process already has the chDB data directory {_openPath} open; chDB allows one data directory per process. Close it before opening {dataPath}.");
            }
            _openPath = dataPath;
            _openStores++;
        }
    }

    public static void Release()
    {
        lock (Gate)
        {
            if (--_openStores == 0)
            {
                _openPath = null;
            }
        }
    }

    private static void Load(string libraryPath)
    {
        if (_loaded)
        {
            return;
        }
        if (!File.Exists(libraryPath))
        {
            throw new StoreUnavailableException(ChDbLibrary.MissingMessage(libraryPath));
        }
        ChDbNative.UseLibrary(libraryPath);
        // chDB's allocator (jemalloc) keeps freed pages for 5 s and samples allocations for profiling by
        // default; in a process that also runs .NET that holds hundreds of MB it no longer uses. Return
        // them at once instead, unless the operator chose other settings. It must be set before the load.
        ChDbNative.setenv("JE_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0,prof:false", overwrite: 0);
        try
        {
            // chDB's own SIGSEGV handler would turn every .NET NullReferenceException into a crash.
            ChDbNative.chdb_set_signal_handlers_enabled(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new StoreUnavailableException($"Cannot load chDB from {libraryPath}: {e.Message}. Reinstall it with scripts/install-chdb.sh.", e);
        }
        _loaded = true;
    }

    public static unsafe nint Connect(string dataPath, IReadOnlyDictionary<string, string>? settings)
    {
        string[] args = ["zakaz", "--path=" + dataPath, .. settings?.Select(s => $"--{s.Key}={s.Value}") ?? []];
        var argv = args.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        try
        {
            nint handle;
            string reason;
            using (var stderr = new NativeStderrCapture())
            {
                fixed (nint* p = argv)
                {
                    handle = ChDbNative.chdb_connect(args.Length, p);
                }
                reason = stderr.Finish();
            }
            if (handle == 0 || Marshal.ReadIntPtr(handle) == 0)
            {
                throw new StoreUnavailableException(reason.Contains("Cannot lock file", StringComparison.Ordinal)
                    ? $"The data directory {dataPath} is in use by another process (one process per data directory). Stop that process, or use another --data directory."
                    : $"chDB could not open the data directory {dataPath}{(reason.Length > 0 ? $": {ClickHouseErrorParser.Parse(reason).ServerMessage}" : "")}. Check that it is writable.");
            }
            return handle;
        }
        finally
        {
            foreach (var p in argv)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }
}
