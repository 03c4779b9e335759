namespace Zakaz.Storage.ChDb;

/// <summary>
/// Finds libchdb.so: <c>ZAKAZ_CHDB_LIBRARY</c>, else the cache that scripts/install-chdb.sh fills.
/// The version is pinned because chDB's C API and stability change between releases (26.5 crashes).
/// </summary>
public static class ChDbLibrary
{
    public const string PinnedVersion = "26.7.3-stable.1";

    public static string CacheDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("ZAKAZ_CACHE_DIR") is { Length: > 0 } root ? root : Path.Combine(UserCacheHome, "zakaz"),
        "chdb",
        PinnedVersion);

    private static string UserCacheHome => Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
        ? xdg
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");

    public static string Locate(string? configured) =>
        !string.IsNullOrWhiteSpace(configured) ? Path.GetFullPath(configured)
        : Environment.GetEnvironmentVariable("ZAKAZ_CHDB_LIBRARY") is { Length: > 0 } fromEnv ? Path.GetFullPath(fromEnv)
        : Path.Combine(CacheDirectory, "libchdb.so");

    public static string MissingMessage(string path) =>
        $"chDB library not found at {path}. Run scripts/install-chdb.sh (./zakaz does this on first use) or set ZAKAZ_CHDB_LIBRARY to a libchdb.so {PinnedVersion}.";
}
