using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Zakaz.Storage;

namespace Zakaz.Operations.Backups;

/// <summary>
/// What <c>zakaz-&lt;stamp&gt;.json</c> beside an archive says about it: enough to restore it (the migrations its schema
/// had), to check it (size, SHA-256, the rows of every zakaz table as read back from the archive) and to list it.
/// </summary>
public sealed record BackupManifest
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The archive's file name, in the manifest's directory (on a server: in the server's backup location).</summary>
    public required string Archive { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>embedded</c> or <c>server</c>.</summary>
    public required string StoreKind { get; init; }

    public required string Store { get; init; }

    public required string AppVersion { get; init; }

    /// <summary>Versions in the backed-up ledger: a restore applies exactly these before the data, the newer ones after.</summary>
    public required IReadOnlyList<uint> Migrations { get; init; }

    /// <summary>Rows of every zakaz table (FINAL on the engines that collapse rows, so background merges never change it).</summary>
    public required IReadOnlyDictionary<string, long> Tables { get; init; }

    public long TotalRows => Tables.Values.Sum();

    /// <summary>Null on a server: the archive is on the server's disk.</summary>
    public long? ArchiveBytes { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>The copy of the data directory's secrets.key (the archive holds only databases), if the store had one.</summary>
    public string? SecretsKey { get; init; }

    /// <summary>When <c>zakaz backup verify</c> last restored it and found every table's rows.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>The version of the running zakaz, as <c>zakaz --version</c> prints it.</summary>
    public static string CurrentAppVersion =>
        (Assembly.GetEntryAssembly() ?? typeof(BackupManifest).Assembly).GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The manifest's file name for an archive name: the same stem, <c>.json</c>.</summary>
    public static string FileNameFor(string archive) => Stem(archive) + ".json";

    internal static string Stem(string archive) => archive.EndsWith(BackupNames.Extension, StringComparison.Ordinal)
        ? archive[..^BackupNames.Extension.Length]
        : Path.GetFileNameWithoutExtension(archive);

    public static BackupManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), Json)
                ?? throw new BackupException($"The backup manifest {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new BackupException($"The backup manifest {path} is not valid JSON ({e.Message}).");
        }
    }

    public void Write(string path) => OwnerOnly.Replace(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}

/// <summary>A backup that cannot be made, read or restored, in one line that says what to do.</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How backup files are named: <c>zakaz-yyyyMMdd-HHmmss.tar</c> (UTC), the manifest and key beside it.</summary>
public static class BackupNames
{
    // A plain tar, not .tar.zst (which chDB 26.7 also writes): a zstd stream cannot seek, so the engine decompresses the
    // archive from its start for every file it reads back, and restoring the bench store took 398 s instead of ~30 s.
    // The parts inside are compressed by the engine (LZ4) either way: the tar was twice the size of the .tar.zst.
    public const string Extension = ".tar";

    public static string Archive(DateTimeOffset createdAt) => $"zakaz-{createdAt.UtcDateTime:yyyyMMdd-HHmmss}{Extension}";

    public static string SecretsKey(string archive) => BackupManifest.Stem(archive) + ".secrets.key";
}
