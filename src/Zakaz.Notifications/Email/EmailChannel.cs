using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Zakaz.Notifications.Email;

/// <summary>
/// E-mail through MailKit's SMTP client: one connection per notification (alerts are rare), STARTTLS, TLS from the start
/// or none, a login when a user is set, and one message with the subject and a UTF-8 text/plain body to every recipient.
/// </summary>
public sealed class EmailChannel : INotificationChannel
{
    private readonly EmailChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EmailChannel> _logger;
    private readonly RemoteCertificateValidationCallback? _validateCertificate;

    /// <param name="validateCertificate">
    /// Replaces the system's check of the server's certificate; for tests against a stand-in with a self-signed one,
    /// deliberately not a setting.
    /// </param>
    internal EmailChannel(EmailChannelOptions options, TimeProvider time, ILogger<EmailChannel> logger, RemoteCertificateValidationCallback? validateCertificate = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _validateCertificate = validateCertificate;
    }

    public string Name => "email";

    public IReadOnlyList<string> Recipients => [.. _options.To.Mailboxes.Select(m => m.Address)];

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage { Subject = notification.Subject, Date = _time.GetUtcNow() };
        message.From.Add(_options.From);
        message.To.AddRange(_options.To);
        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, notification.Body);
        message.Body = text;

        using var smtp = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        if (_validateCertificate is not null)
        {
            smtp.ServerCertificateValidationCallback = _validateCertificate;
        }
        var step = "connect";
        try
        {
            await smtp.ConnectAsync(_options.Host, _options.Port, _options.Security, cancellationToken);
            if (_options.User is { } user)
            {
                step = "log in";
                await smtp.AuthenticateAsync(user, _options.Password ?? "", cancellationToken);
            }
            step = "send";
            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(true, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Describe(e, step) is { } failure)
        {
            throw new NotificationException(Redact(failure), e);
        }
        _logger.LogInformation("E-mail: delivered '{Subject}' to {Recipients} recipient(s) through {Server}", notification.Subject, Recipients.Count, _options.Server);
    }

    /// <summary>One line naming the server, what failed and what to do; null for failures that are not the server's or the settings'.</summary>
    private string? Describe(Exception e, string step)
    {
        var server = _options.Server;
        return e switch
        {
            AuthenticationException => $"E-mail: {server} refused the login of {_options.User}: check ZAKAZ_ALERTS_SMTP_USER and ZAKAZ_ALERTS_SMTP_PASSWORD",
            ServiceNotAuthenticatedException or SmtpCommandException { StatusCode: SmtpStatusCode.AuthenticationRequired } =>
                $"E-mail: {server} wants a login: set ZAKAZ_ALERTS_SMTP_USER and ZAKAZ_ALERTS_SMTP_PASSWORD",
            SslHandshakeException => $"E-mail: the TLS handshake with {server} failed ({FirstLine(e.Message)}): check ZAKAZ_ALERTS_SMTP_SECURITY (tls for port 465, starttls for 587) and that the server's certificate is valid for {_options.Host}",
            NotSupportedException when _options.Security == SecureSocketOptions.StartTls =>
                $"E-mail: {server} does not offer STARTTLS: set ZAKAZ_ALERTS_SMTP_SECURITY=tls (port 465) or none if the server is local",
            SmtpCommandException command when command.ErrorCode == SmtpErrorCode.RecipientNotAccepted =>
                $"E-mail: {server} refused the recipient {command.Mailbox}: {(int)command.StatusCode} {FirstLine(command.Message)}; check ZAKAZ_ALERTS_SMTP_TO",
            SmtpCommandException command when command.ErrorCode == SmtpErrorCode.SenderNotAccepted =>
                $"E-mail: {server} refused the sender {command.Mailbox}: {(int)command.StatusCode} {FirstLine(command.Message)}; check ZAKAZ_ALERTS_SMTP_FROM (many servers only send from the login's own address)",
            SmtpCommandException command => $"E-mail: {server} failed to {step}: {(int)command.StatusCode} {FirstLine(command.Message)}",
            SocketException socket => $"E-mail: cannot {step} to {server} ({socket.SocketErrorCode}): check ZAKAZ_ALERTS_SMTP_HOST and ZAKAZ_ALERTS_SMTP_PORT",
            SmtpProtocolException or IOException or TimeoutException or OperationCanceledException =>
                $"E-mail: {server} broke off while we tried to {step} ({FirstLine(e.Message)}): check ZAKAZ_ALERTS_SMTP_HOST, ZAKAZ_ALERTS_SMTP_PORT and ZAKAZ_ALERTS_SMTP_SECURITY",
            _ => null,
        };
    }

    private string Redact(string text) => _options.Password is { Length: > 0 } password ? text.Replace(password, "<password>", StringComparison.Ordinal) : text;

    private static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
}
