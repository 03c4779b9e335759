using System.Diagnostics;
using System.Net.Http.Headers;

namespace Zakaz.Cli.Tests;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task Sandbox_qtickets_serves_until_sigterm_and_prints_what_a_client_needs()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "zakaz.dll"), "sandbox", "qtickets", "--orders", "300", "--seed", "7", "--token", "cli-token" })
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        try
        {
            var settings = new Dictionary<string, string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (!settings.ContainsKey("QTICKETS_TOKEN"))
            {
                string line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("zakaz exited: " + await process.StandardError.ReadToEndAsync());
                if (line.Split('=', 2) is [var name, var value])
                {
                    settings[name] = value;
                }
            }
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, settings["QTICKETS_BASE_URL"] + "/orders");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings["QTICKETS_TOKEN"]);
            using HttpResponseMessage response = await http.SendAsync(request);
            JsonElement page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal("cli-token", settings["QTICKETS_TOKEN"]);
            Assert.Equal(300, page.GetProperty("paging").GetProperty("total").GetInt32());

            using Process term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
