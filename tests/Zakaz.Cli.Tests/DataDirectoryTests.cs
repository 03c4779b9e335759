using System.Net;
using System.Net.Sockets;

namespace Zakaz.Cli.Tests;

/// <summary>A data directory the embedded store cannot use is named for what it is, by serve and by every command that opens the store.</summary>
public sealed class DataDirectoryTests
{
    private const string Fix = "give --data (or ZAKAZ_DATA_DIR) a directory this user can write; one that does not exist is created.";

    [Fact]
    public async Task A_file_given_as_the_data_directory_is_named_a_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"zakaz-not-a-dir-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "notes");

        await AssertEveryCommandSaysAsync(file, $"zakaz: error: The data directory {file} is a file, not a directory: {Fix}");
        await AssertEveryCommandSaysAsync(Path.Combine(file, "store"), $"zakaz: error: The data directory {file}/store cannot be created ({file} is a file): {Fix}");
        Assert.Equal("notes", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_read_only_mount_is_named_read_only_not_held_by_another_process()
    {
        var data = ZakazProcess.NewDataDirectory();
        Directory.CreateDirectory(data);
        // Root writes through any file mode, but not through a read-only mount: each command runs in a mount namespace of
        // its own (an unprivileged user namespace where the kernel allows one) with a read-only tmpfs over the directory.
        string[] readOnly = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o ro tmpfs \"$0\" && exec \"$@\"", data];

        await AssertEveryCommandSaysAsync(data, $"zakaz: error: The data directory {data} is not writable (read-only file system): {Fix}", readOnly);
        Assert.Empty(Directory.GetFileSystemEntries(data));
    }

    [Fact]
    public async Task A_directory_this_user_cannot_write_is_named_not_writable()
    {
        // sysfs takes no new files from anyone, root included: the same refusal an unwritable directory gives.
        const string data = "/sys/kernel";

        await AssertEveryCommandSaysAsync(data, $"zakaz: error: The data directory {data} is not writable (permission denied): {Fix}");
    }

    private static async Task AssertEveryCommandSaysAsync(string data, string line, IReadOnlyList<string>? launcher = null)
    {
        string[][] commands =
        [
            ["serve", "--open", "--port", FreePort().ToString(CultureInfo.InvariantCulture)],
            ["db", "migrate"],
            ["query", "SELECT 1"],
            ["facts", "rebuild"],
        ];
        foreach (var command in commands)
        {
            var run = await ZakazProcess.RunAsync(["--data", data, .. command], launcher: launcher);

            Assert.True(run.ExitCode == 1, $"{string.Join(' ', command)}: exit {run.ExitCode}\n{run.Error}");
            Assert.Equal([line], run.ErrorLines);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
