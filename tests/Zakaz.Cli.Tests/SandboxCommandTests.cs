using System.Diagnostics;
using System.Net.Http.Headers;

namespace Zakaz.Cli.Tests;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task Sandbox_qtickets_serves_until_sigterm_and_prints_what_a_client_needs()
    {
        await using var sandbox = await ForegroundSandbox.StartAsync(["sandbox", "qtickets", "--orders", "300", "--seed", "7", "--token", "cli-token"], "QTICKETS_TOKEN");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, sandbox.Settings["QTICKETS_BASE_URL"] + "/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Settings["QTICKETS_TOKEN"]);
        using HttpResponseMessage response = await http.SendAsync(request);
        JsonElement page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("cli-token", sandbox.Settings["QTICKETS_TOKEN"]);
        Assert.Equal(300, page.GetProperty("paging").GetProperty("total").GetInt32());
        Assert.Equal(0, await sandbox.StopAsync());
    }

    [Fact]
    public async Task Sandbox_yandex_direct_for_an_agency_prints_its_settings_which_sync_and_doctor_use_and_a_wrong_login_is_named()
    {
        await using var sandbox = await ForegroundSandbox.StartAsync(
            ["sandbox", "yandex-direct", "--orders", "300", "--anchor", "2025-04-01T09:00:00+03:00", "--agency-login", "acme-client"], "YANDEX_DIRECT_CLIENT_LOGIN");
        var environment = sandbox.Settings.ToDictionary(p => p.Key, p => (string?)p.Value);
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var doctor = await ZakazProcess.RunAsync(["--data", data, "doctor"], environment);
        var sync = await ZakazProcess.RunAsync(["--data", data, "sync", "yandex-direct", "--from", "2025-03-25", "--to", "2025-03-31"], environment);
        environment["YANDEX_DIRECT_CLIENT_LOGIN"] = "someone-else";
        var wrongLogin = await ZakazProcess.RunAsync(["--data", data, "doctor"], environment);

        Assert.Equal("acme-client", sandbox.Settings["YANDEX_DIRECT_CLIENT_LOGIN"]);
        Assert.True(doctor.ExitCode == 0, doctor.Output + doctor.Error);
        Assert.Contains("[ok  ] yandex direct ", doctor.Output, StringComparison.Ordinal);
        Assert.True(sync.ExitCode == 0, sync.Error);
        Assert.Contains("Watermark moved to 2025-03-31", sync.Output, StringComparison.Ordinal);
        Assert.Equal(1, wrongLogin.ExitCode);
        var line = Assert.Single(wrongLogin.Output.Split('\n'), l => l.StartsWith("[FAIL] yandex direct", StringComparison.Ordinal));
        Assert.Contains("someone-else", line, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.Settings["YANDEX_DIRECT_TOKEN"], doctor.Output + doctor.Error + wrongLogin.Output + wrongLogin.Error + sync.Output + sync.Error, StringComparison.Ordinal);
        Assert.Equal(0, await sandbox.StopAsync());
    }

    [Fact]
    public async Task Sandbox_telegram_and_smtp_print_the_settings_alerts_test_needs_then_each_message_they_get()
    {
        await using var telegram = await ForegroundSandbox.StartAsync(["sandbox", "telegram"], "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID");
        await using var smtp = await ForegroundSandbox.StartAsync(["sandbox", "smtp", "--user", "zakaz", "--password", "given-password"], "ZAKAZ_ALERTS_SMTP_TO");
        var environment = telegram.Settings.Concat(smtp.Settings).ToDictionary(p => p.Key, p => (string?)p.Value);
        environment["ZAKAZ_ALERTS_SMTP_PASSWORD"] = "given-password";

        var run = await ZakazProcess.RunAsync(["alerts", "test"], environment);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("telegram: delivered to 3 chat(s)\nemail: delivered to 1 recipient(s)\n", run.Output);
        Assert.Equal("(the --password given)", smtp.Settings["ZAKAZ_ALERTS_SMTP_PASSWORD"]);
        Assert.Matches("^[0-9]+:[A-Za-z0-9_-]{35}$", telegram.Settings["ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN"]);
        Assert.Equal("telegram: message to 100200300 (HTML):", await telegram.NextLineAsync("telegram:"));
        Assert.Equal("email: message from zakaz@example.ru to owner@example.ru (logged in as zakaz): Zakaz: проверка уведомлений", await smtp.NextLineAsync("email:"));
        Assert.Equal(0, await telegram.StopAsync());
        Assert.Equal(0, await smtp.StopAsync());
    }

    [Fact]
    public async Task Sandbox_telegram_does_not_print_a_token_it_was_given()
    {
        await using var telegram = await ForegroundSandbox.StartAsync(["sandbox", "telegram", "--token", "4242:given-token"], "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID");

        Assert.Equal("(the --token given)", telegram.Settings["ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN"]);
        Assert.Equal(0, await telegram.StopAsync());
    }

    /// <summary><c>zakaz sandbox ...</c> in the foreground: the NAME=value lines it prints up to <c>lastSetting</c>, then SIGTERM.</summary>
    private sealed class ForegroundSandbox(Process process, Dictionary<string, string> settings) : IAsyncDisposable
    {
        public IReadOnlyDictionary<string, string> Settings => settings;

        public static async Task<ForegroundSandbox> StartAsync(string[] args, string lastSetting)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args.Prepend(Path.Combine(AppContext.BaseDirectory, "zakaz.dll")))
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start)!;
            var settings = new Dictionary<string, string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (!settings.ContainsKey(lastSetting))
            {
                string line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("zakaz exited: " + await process.StandardError.ReadToEndAsync());
                if (line.Split('=', 2) is [var name, var value])
                {
                    settings[name] = value;
                }
            }
            return new ForegroundSandbox(process, settings);
        }

        /// <summary>The next line it prints that starts with <paramref name="prefix"/> (what it reports after the settings).</summary>
        public async Task<string> NextLineAsync(string prefix)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (true)
            {
                string line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("zakaz exited");
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        /// <summary>SIGTERM, as a service manager stops it; its exit code.</summary>
        public async Task<int> StopAsync()
        {
            using Process term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }

        public ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
