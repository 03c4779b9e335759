using System.Net;
using System.Net.Sockets;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz serve</c> as a process: it holds its data directory against other commands, and open access stays on loopback.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_served_data_directory_refuses_other_commands_until_the_server_is_gone()
    {
        var data = ZakazProcess.NewDataDirectory();
        var port = FreePort();
        using (var serve = ZakazProcess.Start(["--data", data, "serve", "--open", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            using var http = new HttpClient();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (!await AnswersAsync(http, $"http://127.0.0.1:{port}/healthz"))
            {
                Assert.False(serve.HasExited, "zakaz serve ended: " + (serve.HasExited ? (await serve.WaitAsync()).Error : ""));
                await Task.Delay(100, deadline.Token);
            }

            var sync = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets"],
                new Dictionary<string, string?> { ["QTICKETS_TOKEN"] = "any", ["QTICKETS_BASE_URL"] = "http://127.0.0.1:9/" });

            Assert.Equal(1, sync.ExitCode);
            var line = Assert.Single(sync.ErrorLines);
            Assert.Contains($"is held by 'zakaz serve' (pid ", line, StringComparison.Ordinal);
            Assert.Contains("stop it to run this command here", line, StringComparison.Ordinal);

            // A killed server leaves no stale claim: the kernel drops the lock with the process.
            serve.Kill();
            await serve.WaitAsync();
        }

        var after = await ZakazProcess.RunAsync("--data", data, "query", "SELECT 1", "--format", "TSV");
        Assert.Equal((0, "1"), (after.ExitCode, after.Output.Trim()));
    }

    [Fact]
    public async Task Open_access_on_a_public_address_is_refused()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "serve", "--open", "--host", "0.0.0.0", "--port", "5999");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("only on a loopback address", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
