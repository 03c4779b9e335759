using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Zakaz.Configuration;
using Zakaz.Notifications.Email;
using Zakaz.Notifications.Telegram;
using Zakaz.Sources.Http;

namespace Zakaz.Notifications;

/// <summary>
/// The channels the settings configure: Telegram when a bot token and chats are set, e-mail when an SMTP host, a sender
/// and recipients are. A channel set halfway is a configuration error naming the missing variable.
/// </summary>
public static class NotificationChannels
{
    private const string TelegramClientName = "Zakaz.Telegram";

    /// <summary>What to set for a first channel, for messages that find none.</summary>
    public const string HowToConfigure =
        "set ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN and ZAKAZ_ALERTS_TELEGRAM_CHAT_ID for Telegram, and/or ZAKAZ_ALERTS_SMTP_HOST, ZAKAZ_ALERTS_SMTP_FROM and ZAKAZ_ALERTS_SMTP_TO for e-mail";

    /// <summary>
    /// Registers the configured channels as <see cref="IEnumerable{INotificationChannel}"/> and <see cref="IReadOnlyList{INotificationChannel}"/>
    /// (empty when none is configured; the settings are read when the channels are first asked for). Telegram uses
    /// an <see cref="IHttpClientFactory"/> client with the shared resilience pipeline.
    /// </summary>
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services, Func<IServiceProvider, ChannelOptions> options) =>
        services.AddNotificationChannels(options, validateCertificate: null);

    /// <summary>
    /// The configured channels on their own (no host), built on <see cref="AddNotificationChannels"/>, for commands;
    /// empty when none is configured, a <see cref="ConfigurationException"/> when one is set halfway.
    /// </summary>
    public static IReadOnlyList<INotificationChannel> Create(ChannelOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null) =>
        Create(options, time, loggers, validateCertificate: null);

    internal static IReadOnlyList<INotificationChannel> Create(ChannelOptions options, TimeProvider? time, ILoggerFactory? loggers,
        System.Net.Security.RemoteCertificateValidationCallback? validateCertificate)
    {
        var services = SourceServices.Build(s => s.AddNotificationChannels(_ => options, validateCertificate), loggers, time);
        return services.GetRequiredService<IReadOnlyList<INotificationChannel>>();
    }

    internal static IServiceCollection AddNotificationChannels(this IServiceCollection services, Func<IServiceProvider, ChannelOptions> options,
        System.Net.Security.RemoteCertificateValidationCallback? validateCertificate)
    {
        services.AddSingleton(provider => new ConfiguredChannels(options(provider)));
        services.AddSingleton(provider => provider.GetRequiredService<ConfiguredChannels>().Telegram
            ?? throw new InvalidOperationException("Telegram is not configured; its client is only made for a configured channel."));
        services.AddSourceHttpClient(TelegramClientName)
            .AddSourceResilienceHandler<TelegramChannelOptions>(TelegramError.Source, typeof(TelegramChannel).FullName!,
                async (_, response, operation, cancellationToken) =>
                    new NotificationException($"Telegram {operation}: {(await TelegramError.ReadAsync(response, cancellationToken)).Said}"))
            .AddHttpMessageHandler(() => new TelegramFloodControlHandler());
        services.AddSingleton<IReadOnlyList<INotificationChannel>>(provider =>
        {
            var configured = provider.GetRequiredService<ConfiguredChannels>();
            var channels = new List<INotificationChannel>();
            if (configured.Telegram is { } telegram)
            {
                channels.Add(new TelegramChannel(provider.GetRequiredService<IHttpClientFactory>().CreateClient(TelegramClientName), telegram,
                    provider.GetRequiredService<ILogger<TelegramChannel>>()));
            }
            if (configured.Email is { } email)
            {
                channels.Add(new EmailChannel(email, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<EmailChannel>>(), validateCertificate));
            }
            return channels;
        });
        // An explicit registration wins over the container's own list of INotificationChannel registrations, so
        // consumers asking for IEnumerable<INotificationChannel> get exactly the configured ones.
        services.AddSingleton<IEnumerable<INotificationChannel>>(provider => provider.GetRequiredService<IReadOnlyList<INotificationChannel>>());
        return services;
    }

    /// <summary>Fails with every problem of the channel settings, each naming the variable to set; no channel at all is fine.</summary>
    public static void Validate(ChannelOptions options) => _ = new ConfiguredChannels(options);

    /// <summary>The settings read into each channel's options; null for a channel that is not configured.</summary>
    private sealed class ConfiguredChannels
    {
        public ConfiguredChannels(ChannelOptions options)
        {
            var problems = new List<string>();
            Telegram = TelegramOf(options, problems);
            Email = EmailOf(options, problems);
            if (problems.Count > 0)
            {
                throw new ConfigurationException(problems);
            }
        }

        public TelegramChannelOptions? Telegram { get; }

        public EmailChannelOptions? Email { get; }

        private static TelegramChannelOptions? TelegramOf(ChannelOptions options, List<string> problems)
        {
            var token = Blank(options.TelegramBotToken);
            var chats = List(options.TelegramChatId);
            if (token is null && chats.Count == 0)
            {
                return null;
            }
            if (token is null)
            {
                problems.Add("ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN is not set, but ZAKAZ_ALERTS_TELEGRAM_CHAT_ID is: set the bot's token from @BotFather, or unset the chat id.");
                return null;
            }
            if (chats.Count == 0)
            {
                problems.Add("ZAKAZ_ALERTS_TELEGRAM_CHAT_ID is not set, but the bot token is: set the chats to write to (chat ids or @channel names, separated by commas).");
                return null;
            }
            var bad = chats.Where(c => !(long.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || (c.Length > 1 && c[0] == '@'))).ToList();
            if (bad.Count > 0)
            {
                problems.Add($"ZAKAZ_ALERTS_TELEGRAM_CHAT_ID has {string.Join(", ", bad.Select(c => $"'{c}'"))}: each chat is a number (e.g. -1001234567890) or an @channel name.");
                return null;
            }
            return new TelegramChannelOptions { ApiUrl = options.TelegramApiUrl, BotToken = token, ChatIds = chats };
        }

        private static EmailChannelOptions? EmailOf(ChannelOptions options, List<string> problems)
        {
            var host = Blank(options.SmtpHost);
            var from = Blank(options.SmtpFrom);
            var to = Blank(options.SmtpTo);
            if (host is null)
            {
                if (from is not null || to is not null || Blank(options.SmtpUser) is not null)
                {
                    problems.Add("ZAKAZ_ALERTS_SMTP_HOST is not set, but other ZAKAZ_ALERTS_SMTP_* settings are: set the SMTP server, or unset them.");
                }
                return null;
            }
            var count = problems.Count;
            if (from is null)
            {
                problems.Add("ZAKAZ_ALERTS_SMTP_FROM is not set, but ZAKAZ_ALERTS_SMTP_HOST is: set the sender, e.g. Zakaz <zakaz@example.ru>.");
            }
            if (to is null)
            {
                problems.Add("ZAKAZ_ALERTS_SMTP_TO is not set, but ZAKAZ_ALERTS_SMTP_HOST is: set the recipients, separated by commas.");
            }
            MailboxAddress? sender = null;
            if (from is not null && !MailboxAddress.TryParse(from, out sender))
            {
                problems.Add($"ZAKAZ_ALERTS_SMTP_FROM '{from}' is not an e-mail address: write it as zakaz@example.ru or Zakaz <zakaz@example.ru>.");
            }
            InternetAddressList? recipients = null;
            if (to is not null && (!InternetAddressList.TryParse(to, out recipients) || recipients.Mailboxes.Count() == 0))
            {
                problems.Add($"ZAKAZ_ALERTS_SMTP_TO '{to}' is not a list of e-mail addresses: separate them by commas, e.g. a@example.ru, b@example.ru.");
            }
            var security = options.SmtpSecurity.Trim().ToLowerInvariant() switch
            {
                "starttls" => SecureSocketOptions.StartTls,
                "tls" => SecureSocketOptions.SslOnConnect,
                "none" => SecureSocketOptions.None,
                var other => Problem(problems, $"ZAKAZ_ALERTS_SMTP_SECURITY '{other}' is not one of starttls, tls, none."),
            };
            if (problems.Count > count)
            {
                return null;
            }
            return new EmailChannelOptions
            {
                Host = host,
                Port = options.SmtpPort ?? security switch
                {
                    SecureSocketOptions.SslOnConnect => 465,
                    SecureSocketOptions.None => 25,
                    _ => 587,
                },
                Security = security,
                User = Blank(options.SmtpUser),
                Password = options.SmtpPassword,
                From = sender!,
                To = recipients!,
            };
        }

        private static SecureSocketOptions Problem(List<string> problems, string problem)
        {
            problems.Add(problem);
            return SecureSocketOptions.None;
        }

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        private static List<string> List(string? value) =>
            [.. (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }
}
