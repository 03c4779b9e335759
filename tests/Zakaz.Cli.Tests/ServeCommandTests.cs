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
    public async Task The_demo_serves_the_dashboard_with_the_sandboxes_data_and_holds_its_data_directory()
    {
        var data = ZakazProcess.NewDataDirectory();
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var demo = ZakazProcess.Start(["--data", data, "demo", "--orders", "1500", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var http = new HttpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        while (!await AnswersAsync(http, $"{url}/healthz"))
        {
            Assert.False(demo.HasExited, "zakaz demo ended: " + (demo.HasExited ? (await demo.WaitAsync()).Error : ""));
            await Task.Delay(200, deadline.Token);
        }

        var page = await http.GetStringAsync($"{url}/marketing");
        using var kpis = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{url}/api/sales/kpis"));
        using var cities = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"{url}/api/marketing/cities"));
        var query = await ZakazProcess.RunAsync("--data", data, "query", "SELECT 1");
        demo.Kill();
        var run = await demo.WaitAsync();

        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        var revenue = kpis.RootElement.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "revenue");
        Assert.True(revenue.GetProperty("value").GetDecimal() > 0, kpis.RootElement.ToString());
        Assert.Contains(cities.RootElement.GetProperty("rows").EnumerateArray(), r => r.GetProperty("city").GetString() == "unknown");
        Assert.Contains($"Zakaz dashboard: {url}/", run.Output, StringComparison.Ordinal);
        Assert.Contains("Check:      equals the sandbox's ground truth", run.Output, StringComparison.Ordinal);
        Assert.Contains("sandbox.sales every 1 min", run.Output, StringComparison.Ordinal);
        Assert.Equal(1, query.ExitCode);
        Assert.Contains("is held by 'zakaz serve'", Assert.Single(query.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_access_on_a_public_address_is_refused()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "serve", "--open", "--host", "0.0.0.0", "--port", "5999");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("only on a loopback address", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ZAKAZ_API_TOKEN", "short-token", "ZAKAZ_API_TOKEN (Dashboard:ApiToken) is 11 characters long; it must have at least 32")]
    [InlineData("ZAKAZ_DASHBOARD_SESSION_KEY", "short-session-key", "ZAKAZ_DASHBOARD_SESSION_KEY (Dashboard:SessionKey) is 17 characters long")]
    [InlineData("ZAKAZ_DASHBOARD_PASSWORD_HASH", "pbkdf2-sha256$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "ZAKAZ_DASHBOARD_PASSWORD_HASH (Dashboard:PasswordHash) has 1 PBKDF2 iterations")]
    [InlineData("ZAKAZ_DASHBOARD_PASSWORD_HASH", "pbkdf2-sha256$2147483648$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "has 2147483648 PBKDF2 iterations; it must have between 100000 and 10000000")]
    [InlineData("ZAKAZ_DASHBOARD_TRUSTED_PROXIES", "10.0.0.1,proxy.local", "ZAKAZ_DASHBOARD_TRUSTED_PROXIES='10.0.0.1,proxy.local' has 'proxy.local', which is neither an IP address nor a network")]
    public async Task Guessable_secrets_and_unsafe_settings_stop_serve_before_it_opens_anything(string name, string value, string expected)
    {
        var data = ZakazProcess.NewDataDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["ZAKAZ_API_TOKEN"] = new string('t', 48),
            [name] = value,
        };

        var run = await ZakazProcess.RunAsync(["--data", data, "serve", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<bool> AnswersAsync(HttpClient http, string url)
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
