namespace Zakaz.Notifications;

/// <summary>
/// Where alerts and the digest go (ZAKAZ_ALERTS_TELEGRAM_*, ZAKAZ_ALERTS_SMTP_*); a channel is configured when its
/// token or host is set. A class, not a record, so that no generated ToString prints a secret.
/// </summary>
public sealed class ChannelOptions
{
    public string? TelegramBotToken { get; set; }

    /// <summary>Chat ids (numbers) or <c>@channel</c> names, separated by commas.</summary>
    public string? TelegramChatId { get; set; }

    public Uri TelegramApiUrl { get; set; } = new("https://api.telegram.org");

    public string? SmtpHost { get; set; }

    /// <summary>Unset means the security's usual port: 587 for starttls, 465 for tls, 25 for none.</summary>
    public int? SmtpPort { get; set; }

    /// <summary><c>starttls</c>, <c>tls</c> or <c>none</c>.</summary>
    public string SmtpSecurity { get; set; } = "starttls";

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }

    public string? SmtpFrom { get; set; }

    /// <summary>Recipients, separated by commas.</summary>
    public string? SmtpTo { get; set; }
}
