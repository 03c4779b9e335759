using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Sandbox.Tests;

/// <summary>Tests that start their own servers, because they stop or break them.</summary>
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task Dispose_kills_the_process_and_removes_the_directory()
    {
        LocalClickHouseServer server = await LocalClickHouseServer.StartAsync();
        string directory = server.DirectoryPath;
        using Process process = Process.GetProcessById(server.ProcessId);

        await server.DisposeAsync();

        Assert.True(process.HasExited);
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Port_taken_before_the_server_binds_it_is_retried_with_new_ports()
    {
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        try
        {
            int taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
            int attempts = 0;
            var options = new LocalClickHouseServerOptions
            {
                PortPicker = attempt =>
                {
                    attempts = attempt;
                    return attempt == 1 ? (FreePort(), taken) : (FreePort(), FreePort());
                },
            };

            await using LocalClickHouseServer server = await LocalClickHouseServer.StartAsync(options);

            Assert.Equal(2, attempts);
            Assert.NotEqual(taken, server.TcpPort);
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Fact]
    public async Task Missing_server_binary_fails_with_the_install_hint()
    {
        var options = new LocalClickHouseServerOptions { ServerPath = "/nonexistent/clickhouse-server" };

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => LocalClickHouseServer.StartAsync(options));

        Assert.Contains("scripts/install-test-deps.sh", error.Message);
    }

    [Fact]
    public async Task Time_zone_option_reaches_the_server()
    {
        await using LocalClickHouseServer server = await LocalClickHouseServer.StartAsync(
            new LocalClickHouseServerOptions { Timezone = "Asia/Tokyo" });
        using var http = new HttpClient();

        string body = await http.GetStringAsync(new Uri(server.Url, "?query=SELECT%20timezone()"));

        Assert.Equal("Asia/Tokyo\n", body);
    }

    [Fact]
    public async Task Server_exiting_during_startup_fails_with_its_error_output_and_leaves_nothing_behind()
    {
        string tempRoot = Directory.CreateTempSubdirectory("zakaz-exit-test-").FullName;
        try
        {
            var options = new LocalClickHouseServerOptions { Timezone = "No/Such_Zone", TempRoot = tempRoot };

            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => LocalClickHouseServer.StartAsync(options));

            Assert.Contains("exited during startup", error.Message);
            Assert.Contains("No/Such_Zone", error.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(tempRoot));
        }
        finally
        {
            Directory.Delete(tempRoot, recursive: true);
        }
    }

    [Fact]
    public async Task Server_abandoned_by_a_dead_test_process_is_killed_by_the_next_start()
    {
        string tempRoot = Directory.CreateTempSubdirectory("zakaz-sweep-test-").FullName;
        try
        {
            var options = new LocalClickHouseServerOptions { TempRoot = tempRoot };
            LocalClickHouseServer abandoned = await LocalClickHouseServer.StartAsync(options);
            using Process orphan = Process.GetProcessById(abandoned.ProcessId);
            await File.WriteAllTextAsync(Path.Combine(abandoned.DirectoryPath, "owner.pid"), DeadPid().ToString());

            await using LocalClickHouseServer next = await LocalClickHouseServer.StartAsync(options);

            Assert.True(orphan.WaitForExit(TimeSpan.FromSeconds(5)));
            Assert.False(Directory.Exists(abandoned.DirectoryPath));
            await abandoned.DisposeAsync();
        }
        finally
        {
            Directory.Delete(tempRoot, recursive: true);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int DeadPid()
    {
        using Process process = Process.Start("/bin/true");
        process.WaitForExit();
        return process.Id;
    }
}
