using Zakaz.Sandbox.Smtp;
using Zakaz.Sandbox.Telegram;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz alerts test</c> as an operator runs it, against the Telegram and SMTP stand-ins.</summary>
public class AlertsCommandTests
{
    [Fact]
    public async Task Alerts_test_delivers_the_test_message_to_every_chat_and_every_recipient()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.None, User = "zakaz", Password = "smtp-secret-1" });

        var run = await ZakazProcess.RunAsync(["alerts", "test"], Environment(telegram, smtp.Port));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("telegram: delivered to 2 chat(s)\nemail: delivered to 2 recipient(s)\n", run.Output);
        Assert.Equal(["100200300", "@zakaz_alerts"], telegram.Messages.Select(m => m.Chat));
        Assert.All(telegram.Messages, m => Assert.Matches(@"^<b>Zakaz: проверка уведомлений</b>\nОтправлено командой zakaz alerts test с .+, \d\d\.\d\d\.\d{4} \d\d:\d\d по Москве\.$", m.Text));
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("Zakaz: проверка уведомлений", mail.Subject);
        Assert.Equal(["owner@example.ru", "finance@example.ru"], mail.To);
        Assert.Equal("zakaz", mail.User);
        Assert.DoesNotContain(telegram.Token, run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("smtp-secret-1", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_that_is_down_fails_with_exit_1_while_the_other_still_delivers()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        int closedPort;
        await using (var gone = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.None }))
        {
            closedPort = gone.Port;
        }

        var run = await ZakazProcess.RunAsync(["alerts", "test"], Environment(telegram, closedPort));

        Assert.Equal(1, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("telegram: delivered to 2 chat(s)", lines[0]);
        Assert.Equal($"email: failed: E-mail: cannot connect to 127.0.0.1:{closedPort} (ConnectionRefused): check ZAKAZ_ALERTS_SMTP_HOST and ZAKAZ_ALERTS_SMTP_PORT", lines[1]);
        Assert.Equal(2, telegram.Messages.Count);
        Assert.DoesNotContain("smtp-secret-1", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_channel_configured_it_says_what_to_set_and_exits_1()
    {
        var run = await ZakazProcess.RunAsync("alerts", "test");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no alert channel is configured: set ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN and ZAKAZ_ALERTS_TELEGRAM_CHAT_ID", run.Error, StringComparison.Ordinal);
        Assert.Contains("ZAKAZ_ALERTS_SMTP_HOST", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_half_configured_channel_is_one_line_naming_the_missing_variable()
    {
        var run = await ZakazProcess.RunAsync(["alerts", "test"], new Dictionary<string, string?> { ["ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN"] = "1:half-configured" });

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("zakaz: error: ZAKAZ_ALERTS_TELEGRAM_CHAT_ID is not set", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("half-configured", run.Error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment(TelegramSandbox telegram, int smtpPort) => new()
    {
        ["ZAKAZ_ALERTS_TELEGRAM_API_URL"] = telegram.ApiUrl.ToString(),
        ["ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN"] = telegram.Token,
        ["ZAKAZ_ALERTS_TELEGRAM_CHAT_ID"] = "100200300,@zakaz_alerts",
        ["ZAKAZ_ALERTS_SMTP_HOST"] = "127.0.0.1",
        ["ZAKAZ_ALERTS_SMTP_PORT"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["ZAKAZ_ALERTS_SMTP_SECURITY"] = "none",
        ["ZAKAZ_ALERTS_SMTP_USER"] = "zakaz",
        ["ZAKAZ_ALERTS_SMTP_PASSWORD"] = "smtp-secret-1",
        ["ZAKAZ_ALERTS_SMTP_FROM"] = "Zakaz <zakaz@example.ru>",
        ["ZAKAZ_ALERTS_SMTP_TO"] = "owner@example.ru, finance@example.ru",
    };
}
