namespace Zakaz.Storage.ChDb;

/// <summary>
/// The data directory, created and proven writable before anything opens it, so a file in its place, a read-only
/// mount or another user's directory is named as such instead of surfacing later as an engine error.
/// </summary>
public static class EmbeddedDataDirectory
{
    private const string Fix = "give --data (or ZAKAZ_DATA_DIR) a directory this user can write; one that does not exist is created";

    public static string Prepare(string dataDirectory)
    {
        var path = Path.GetFullPath(dataDirectory);
        if (File.Exists(path))
        {
            throw new StoreUnavailableException($"The data directory {path} is a file, not a directory: {Fix}.");
        }
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = FileOnTheWay(path) is { } file ? $"{file} is a file" : Reason(e);
            throw new StoreUnavailableException($"The data directory {path} cannot be created ({reason}): {Fix}.", e);
        }
        // Every file the store writes is created in here, so creating one is the test that counts: file modes, ACLs,
        // read-only mounts and root's exemptions all have their say in it.
        var probe = Path.Combine(path, $".zakaz-write-check-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException($"The data directory {path} is not writable ({Reason(e)}): {Fix}.", e);
        }
        return path;
    }

    private static string? FileOnTheWay(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return parent;
            }
        }
        return null;
    }

    /// <summary>The operating system's reason without the path it names (the message already names the directory).</summary>
    private static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException)
        {
            return "permission denied";
        }
        var message = e.Message;
        var path = message.IndexOf(" : '", StringComparison.Ordinal);
        var reason = (path > 0 ? message[..path] : message).Trim().TrimEnd('.');
        return reason.Length > 0 ? char.ToLowerInvariant(reason[0]) + reason[1..] : reason;
    }
}
