using System.Net.Security;
using Zakaz.Configuration;
using Zakaz.Notifications.Email;
using Zakaz.Sandbox.Smtp;

namespace Zakaz.Notifications.Tests;

/// <summary>The e-mail channel over real SMTP against the in-process server, in each security mode.</summary>
public class EmailChannelTests
{
    private static readonly Notification Alert = new("Zakaz: загрузка Qtickets упала", "Ошибка: 502 Bad Gateway.\nЧто делать: проверьте QTICKETS_TOKEN.");

    [Fact]
    public async Task Starttls_with_a_login_delivers_one_utf8_message_to_every_recipient()
    {
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.StartTls, User = "zakaz", Password = "s3cret-pass" });
        var channel = Channel(smtp, "starttls", user: "zakaz", password: "s3cret-pass", to: "owner@example.ru, Бухгалтерия <finance@example.ru>");

        await channel.SendAsync(Alert);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("zakaz@example.ru", message.From);
        Assert.Equal(["owner@example.ru", "finance@example.ru"], message.To);
        Assert.Equal(Alert.Subject, message.Subject);
        Assert.Equal(Alert.Body, message.Text.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("zakaz", message.User);
        Assert.True(message.Secure);
        Assert.Equal(["owner@example.ru", "finance@example.ru"], ((EmailChannel)channel).Recipients);
    }

    [Fact]
    public async Task Tls_from_the_first_byte_delivers()
    {
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.Tls, User = "zakaz", Password = "pw" });
        var channel = Channel(smtp, "tls", user: "zakaz", password: "pw");

        await channel.SendAsync(Alert);

        var message = Assert.Single(smtp.Messages);
        Assert.True(message.Secure);
        Assert.Equal("zakaz", message.User);
    }

    [Fact]
    public async Task Plain_smtp_without_a_login_delivers()
    {
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.None });
        var channel = Channel(smtp, "none");

        await channel.SendAsync(Alert);

        var message = Assert.Single(smtp.Messages);
        Assert.False(message.Secure);
        Assert.Null(message.User);
        Assert.Equal(Alert.Subject, message.Subject);
    }

    [Fact]
    public async Task A_wrong_password_fails_naming_the_server_and_the_settings_but_not_the_password()
    {
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.StartTls, User = "zakaz", Password = "right-one" });
        var channel = Channel(smtp, "starttls", user: "zakaz", password: "wrong-one-42");

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(Alert));

        Assert.Equal($"E-mail: 127.0.0.1:{smtp.Port} refused the login of zakaz: check ZAKAZ_ALERTS_SMTP_USER and ZAKAZ_ALERTS_SMTP_PASSWORD", failure.Message);
        Assert.DoesNotContain("wrong-one-42", failure.ToString(), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task A_certificate_the_system_does_not_trust_is_refused_by_default()
    {
        await using var smtp = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.StartTls });
        var channel = Assert.Single(NotificationChannels.Create(Options(smtp, "starttls")));

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(Alert));

        Assert.StartsWith($"E-mail: the TLS handshake with 127.0.0.1:{smtp.Port} failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ZAKAZ_ALERTS_SMTP_SECURITY", failure.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task A_server_that_is_not_there_fails_naming_host_and_port()
    {
        int port;
        await using (var gone = await SmtpSandbox.StartAsync(new SmtpSandboxOptions { Security = SmtpSandboxSecurity.None }))
        {
            port = gone.Port;
        }
        var channel = Assert.Single(NotificationChannels.Create(new ChannelOptions
        {
            SmtpHost = "127.0.0.1",
            SmtpPort = port,
            SmtpSecurity = "none",
            SmtpFrom = "zakaz@example.ru",
            SmtpTo = "owner@example.ru",
        }));

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(Alert));

        Assert.Equal($"E-mail: cannot connect to 127.0.0.1:{port} (ConnectionRefused): check ZAKAZ_ALERTS_SMTP_HOST and ZAKAZ_ALERTS_SMTP_PORT", failure.Message);
    }

    [Theory]
    [InlineData(null, "owner@example.ru", "ZAKAZ_ALERTS_SMTP_FROM is not set")]
    [InlineData("zakaz@example.ru", null, "ZAKAZ_ALERTS_SMTP_TO is not set")]
    [InlineData("not an address", "owner@example.ru", "ZAKAZ_ALERTS_SMTP_FROM 'not an address' is not an e-mail address")]
    public void A_host_without_sender_or_recipients_is_a_configuration_error_naming_the_variable(string? from, string? to, string expected)
    {
        var failure = Assert.Throws<ConfigurationException>(() => NotificationChannels.Create(new ChannelOptions
        {
            SmtpHost = "smtp.example.ru",
            SmtpFrom = from,
            SmtpTo = to,
            SmtpPassword = "never-shown",
        }));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("starttls", 587)]
    [InlineData("tls", 465)]
    [InlineData("none", 25)]
    public async Task Without_a_port_the_security_picks_the_usual_one(string security, int port)
    {
        var channel = Assert.Single(NotificationChannels.Create(new ChannelOptions
        {
            SmtpHost = "127.0.0.2",
            SmtpSecurity = security,
            SmtpFrom = "zakaz@example.ru",
            SmtpTo = "owner@example.ru",
        }));

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(Alert));

        Assert.Contains($"127.0.0.2:{port}", failure.Message, StringComparison.Ordinal);
    }

    private static INotificationChannel Channel(SmtpSandbox smtp, string security, string? user = null, string? password = null, string to = "owner@example.ru")
    {
        var thumbprint = smtp.Certificate?.GetCertHashString();
        RemoteCertificateValidationCallback trustTheSandbox = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        var channel = Assert.Single(NotificationChannels.Create(Options(smtp, security, user, password, to), null, null, trustTheSandbox));
        Assert.Equal("email", channel.Name);
        return channel;
    }

    private static ChannelOptions Options(SmtpSandbox smtp, string security, string? user = null, string? password = null, string to = "owner@example.ru") => new()
    {
        SmtpHost = smtp.Host,
        SmtpPort = smtp.Port,
        SmtpSecurity = security,
        SmtpUser = user,
        SmtpPassword = password,
        SmtpFrom = "Zakaz <zakaz@example.ru>",
        SmtpTo = to,
    };
}
