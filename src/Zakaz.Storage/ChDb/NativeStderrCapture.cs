using System.Runtime.InteropServices;

namespace Zakaz.Storage.ChDb;

/// <summary>
/// chDB says why a connection failed only on stderr (descriptor 2): while one opens, descriptor 2 points at
/// a temporary file, so the reason goes into our one-line error rather than onto the user's terminal.
/// </summary>
internal sealed partial class NativeStderrCapture : IDisposable
{
    private const int StandardError = 2;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"zakaz-chdb-stderr-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly int _saved;
    private bool _restored;

    public NativeStderrCapture()
    {
        Console.Error.Flush();
        _saved = dup(StandardError);
        using var file = File.Create(_path);
        var target = open(_path, 1 /* O_WRONLY */);
        _restored = _saved < 0 || target < 0 || dup2(target, StandardError) < 0;
        if (target >= 0)
        {
            close(target);
        }
    }

    public string Finish()
    {
        Restore();
        try
        {
            return File.ReadAllText(_path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        Restore();
        File.Delete(_path);
    }

    private void Restore()
    {
        if (_restored)
        {
            return;
        }
        _restored = true;
        dup2(_saved, StandardError);
        close(_saved);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
