using System.Diagnostics;

namespace Zakaz.Operations.Backups;

/// <summary>
/// Verifies a backup by restoring it into a throw-away data directory in a child process (chDB binds one data directory
/// per process) running <c>zakaz backup restore</c>, which compares every table's rows with the manifest.
/// </summary>
/// <param name="zakaz">The command that starts zakaz: its executable, or dotnet and zakaz.dll.</param>
public sealed class BackupVerifier(IReadOnlyList<string> zakaz, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Returns the manifest marked verified, or throws one line: checksum mismatch, or what the restore could not read.</summary>
    public async Task<BackupManifest> VerifyAsync(string archivePath, CancellationToken cancellationToken = default)
    {
        archivePath = Path.GetFullPath(archivePath);
        var manifest = BackupRestore.ManifestOf(archivePath);
        // The checksum first: a corrupted file is named as such, before the engine gives its own account of the damage.
        await StoreBackups.CheckArchiveAsync(archivePath, manifest, cancellationToken);
        var scratch = Path.Combine(Path.GetTempPath(), "zakaz-verify-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var start = new ProcessStartInfo(zakaz[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in zakaz.Skip(1).Concat(["backup", "restore", archivePath, "--data", scratch]))
            {
                start.ArgumentList.Add(argument);
            }
            using var child = Process.Start(start) ?? throw new BackupException($"Could not start {zakaz[0]} to verify the backup.");
            var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = child.StandardError.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            await output;
            if (child.ExitCode != 0)
            {
                var why = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {child.ExitCode}";
                why = why.Replace("zakaz: error: ", "", StringComparison.Ordinal).Replace($"Backup {archivePath} ", "", StringComparison.Ordinal);
                throw new BackupException($"Backup {archivePath} failed verification: {why}");
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        var verified = manifest with { VerifiedAt = _time.GetUtcNow() };
        verified.Write(Path.Combine(Path.GetDirectoryName(archivePath)!, BackupManifest.FileNameFor(manifest.Archive)));
        return verified;
    }
}
