using Zakaz.Storage;

namespace Zakaz.Cli;

/// <summary>
/// <c>zakaz serve</c>'s claim on an embedded data directory: an exclusive lock on
/// <c>zakaz-serve.lock</c> in it, held for the life of the process (the kernel drops it when the
/// process dies, so a crash leaves nothing stale), with the holder's pid beside it. Every other
/// command checks it before opening chDB, so it says who holds the directory instead of failing
/// inside the engine.
/// </summary>
internal sealed class ServeLock : IDisposable
{
    private const string LockFile = "zakaz-serve.lock";
    private const string PidFile = "zakaz-serve.pid";

    private readonly FileStream _lock;
    private readonly string _pidPath;

    private ServeLock(FileStream held, string pidPath)
    {
        _lock = held;
        _pidPath = pidPath;
    }

    /// <summary>Claims <paramref name="dataDirectory"/> for this serving process, or says who already holds it.</summary>
    public static ServeLock Acquire(string dataDirectory)
    {
        // The lock and pid files come before the store is opened, and are owner-only like all of the data directory.
        OwnerOnly.RestrictNewFiles();
        // A directory that cannot take the lock file at all (a file, read-only, another user's) says so here, so the
        // only failure left to the lock itself is another process holding it.
        var directory = Storage.ChDb.EmbeddedDataDirectory.Prepare(dataDirectory);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw Held(directory);
        }
        var pidPath = Path.Combine(directory, PidFile);
        File.WriteAllText(pidPath, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC\n"));
        return new ServeLock(held, pidPath);
    }

    /// <summary>Throws when a <c>zakaz serve</c> process holds <paramref name="dataDirectory"/>.</summary>
    public static void ThrowIfHeld(string dataDirectory)
    {
        if (IsHeld(dataDirectory))
        {
            throw Held(Path.GetFullPath(dataDirectory));
        }
    }

    /// <summary>Whether a <c>zakaz serve</c> process holds <paramref name="dataDirectory"/> now.</summary>
    public static bool IsHeld(string dataDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(dataDirectory), LockFile);
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        File.Delete(_pidPath);
        _lock.Dispose();
    }

    private static StoreUnavailableException Held(string directory)
    {
        var holder = File.Exists(Path.Combine(directory, PidFile)) ? File.ReadAllText(Path.Combine(directory, PidFile)).Trim().Split(' ', 2) : [];
        var who = holder.Length == 2 ? $"pid {holder[0]}, since {holder[1]}" : "another process";
        return new StoreUnavailableException(
            $"The data directory {directory} is held by 'zakaz serve' ({who}), which runs the syncs itself: stop it to run this command here, or read the numbers from its dashboard.");
    }
}
