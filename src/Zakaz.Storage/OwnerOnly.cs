using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace Zakaz.Storage;

/// <summary>Files only their owner may read (the embedded data directory, key and password files): directories 0700, files 0600.</summary>
public static partial class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Umask 077 on top of the process's: chDB runs inside the process and keeps creating files (a part per
    /// insert, merges) with the process umask, so this is the only setting that reaches all of them.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var previous = umask((uint)GroupAndOthers);
        umask(previous | (uint)GroupAndOthers);
    }

    /// <summary>
    /// Takes group and other permissions off <paramref name="directory"/> and below (not links: chDB's point into it).
    /// Returns a warning naming the first path that was wider and its old mode; null when all was owner-only.
    /// </summary>
    public static string? Restrict(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var widened = new List<(string Path, UnixFileMode Mode)>();
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(directory)]);
        Restrict(pending.Peek(), widened);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in Entries(current))
            {
                if (entry.LinkTarget is null && Restrict(entry, widened) && entry is DirectoryInfo subdirectory)
                {
                    pending.Push(subdirectory);
                }
            }
        }
        if (widened.Count == 0)
        {
            return null;
        }
        var (path, mode) = widened[0];
        return $"{path} had mode {Octal(mode)}, open to other local users" +
            (widened.Count > 1 ? $", and so had {widened.Count - 1} more path(s) in {directory}" : "") +
            $"; made owner-only ({Octal(DirectoryMode)} for directories, {Octal(FileMode)} for files)";
    }

    /// <summary>"0644"-style text of a mode, for messages.</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>The mode of <paramref name="path"/> when group or others may use it; null when it is owner-only.</summary>
    public static UnixFileMode? WiderThanOwner(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & GroupAndOthers) == 0 ? null : File.GetUnixFileMode(path);

    /// <summary>The key of <paramref name="length"/> random bytes in the owner-only file <paramref name="path"/>, made on first use.</summary>
    public static byte[] ReadOrCreateKey(string path, int length)
    {
        if (File.Exists(path) && File.ReadAllBytes(path) is var kept && kept.Length == length)
        {
            return kept;
        }
        var key = RandomNumberGenerator.GetBytes(length);
        // Never half a key that later runs would trust.
        Replace(path, key);
        return key;
    }

    /// <summary>Written under another name first, so a crash leaves the old file or the new one, never half of one.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        using (var file = new FileStream(temporary, options))
        {
            file.Write(content);
        }
        File.Move(temporary, path, overwrite: true);
    }

    [UnsupportedOSPlatform("windows")]
    private static bool Restrict(FileSystemInfo entry, List<(string Path, UnixFileMode Mode)> widened)
    {
        try
        {
            var mode = entry.UnixFileMode;
            if ((mode & GroupAndOthers) != 0)
            {
                entry.UnixFileMode = mode & ~GroupAndOthers;
                widened.Add((entry.FullName, mode));
            }
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Removed meanwhile (a merged part of a store this process already has open): nothing left to restrict.
            return false;
        }
    }

    private static IEnumerable<FileSystemInfo> Entries(DirectoryInfo directory)
    {
        try
        {
            return directory.GetFileSystemInfos();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint umask(uint mask);
}
