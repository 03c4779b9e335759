using System.Text.Json;
using System.Threading.Channels;

namespace Zakaz.Operations.Backups;

/// <summary>
/// How <c>zakaz backup create</c> gets a backup from a running <c>zakaz serve</c>, which holds the embedded store (chDB
/// opens a data directory in one process only): the CLI drops <c>&lt;id&gt;.request</c> into <c>backup-requests/</c> of the
/// data directory, serve takes the backup and answers with <c>&lt;id&gt;.result</c>. Files, not a port: the data directory
/// is owner-only, so whoever may write there may already read the whole store, and no token or port has to be configured.
/// </summary>
public static class BackupRequests
{
    public const string DirectoryName = "backup-requests";

    /// <summary>How often a waiting CLI checks that serve is still alive to answer.</summary>
    public static readonly TimeSpan AliveCheck = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asks the serve process of <paramref name="dataDirectory"/> for a backup into <paramref name="to"/> and waits for it.</summary>
    /// <param name="serveAlive">Whether serve still holds the data directory; false ends the wait with an error.</param>
    public static async Task<BackupRequestResult> RequestAsync(string dataDirectory, string? to, Func<bool> serveAlive, CancellationToken cancellationToken = default)
    {
        var directory = Prepare(dataDirectory);
        var id = Guid.NewGuid().ToString("N");
        var resultPath = Path.Combine(directory, id + ".result");
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(directory, id + ".result") { EnableRaisingEvents = true };
        watcher.Renamed += (_, _) => answered.TrySetResult();
        watcher.Created += (_, _) => answered.TrySetResult();
        WriteAtomically(Path.Combine(directory, id + ".request"), JsonSerializer.Serialize(new BackupRequest(to is null ? null : Path.GetFullPath(to)), Json));
        using var alive = new PeriodicTimer(AliveCheck);
        while (!File.Exists(resultPath))
        {
            var tick = alive.WaitForNextTickAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(answered.Task, tick) == tick && !File.Exists(resultPath) && !serveAlive())
            {
                File.Delete(Path.Combine(directory, id + ".request"));
                throw new BackupException("zakaz serve stopped before it took the backup; run zakaz backup create again.");
            }
        }
        var result = JsonSerializer.Deserialize<BackupRequestResult>(File.ReadAllText(resultPath), Json)!;
        File.Delete(resultPath);
        return result.Error is { } error ? throw new BackupException($"zakaz serve could not take the backup: {error}") : result;
    }

    /// <summary>Serve's side: answers every request (those waiting from before it started too) with <paramref name="backUp"/> until cancelled.</summary>
    public static async Task ServeAsync(string dataDirectory, Func<string?, CancellationToken, Task<BackupResult>> backUp, CancellationToken cancellationToken)
    {
        var directory = Prepare(dataDirectory);
        var requests = Channel.CreateUnbounded<string>();
        using var watcher = new FileSystemWatcher(directory, "*.request") { EnableRaisingEvents = true };
        watcher.Renamed += (_, e) => requests.Writer.TryWrite(e.FullPath);
        watcher.Created += (_, e) => requests.Writer.TryWrite(e.FullPath);
        foreach (var waiting in Directory.EnumerateFiles(directory, "*.request"))
        {
            requests.Writer.TryWrite(waiting);
        }
        await foreach (var path in requests.Reader.ReadAllAsync(cancellationToken))
        {
            if (!File.Exists(path))
            {
                continue; // Seen twice (created and renamed), or withdrawn by a CLI that gave up.
            }
            var request = JsonSerializer.Deserialize<BackupRequest>(File.ReadAllText(path), Json);
            File.Delete(path);
            BackupRequestResult answer;
            try
            {
                var made = await backUp(request?.To, cancellationToken);
                answer = new BackupRequestResult(made.ArchivePath, made.ManifestPath, null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                answer = new BackupRequestResult(null, null, e.Message.ReplaceLineEndings(" "));
            }
            WriteAtomically(Path.ChangeExtension(path, ".result"), JsonSerializer.Serialize(answer, Json));
        }
    }

    private static string Prepare(string dataDirectory)
    {
        var directory = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        StoreBackups.CreateOwnerOnly(directory);
        return directory;
    }

    // Renamed into place, so the other side never reads a half-written file.
    private static void WriteAtomically(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private sealed record BackupRequest(string? To);
}

/// <summary>Serve's answer to a backup request: the files it wrote, or why it could not.</summary>
public sealed record BackupRequestResult(string? ArchivePath, string? ManifestPath, string? Error);
