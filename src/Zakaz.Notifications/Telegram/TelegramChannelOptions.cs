using Zakaz.Sources.Http;

namespace Zakaz.Notifications.Telegram;

/// <summary>How <see cref="TelegramChannel"/> reaches the Bot API, and how hard it tries (the shared retry design).</summary>
internal sealed class TelegramChannelOptions : SourceHttpOptions
{
    /// <summary>
    /// An alert is worth a few minutes of waiting, not fifteen: four attempts, and a flood-control <c>retry_after</c>
    /// of up to five minutes honoured (Telegram asks for seconds to minutes).
    /// </summary>
    public TelegramChannelOptions()
    {
        RequestTimeout = TimeSpan.FromSeconds(30);
        TotalTimeout = TimeSpan.FromMinutes(10);
        MaxAttempts = 4;
        MaxRetryAfter = TimeSpan.FromMinutes(5);
        MaxConcurrency = 1;
    }

    /// <summary>The Bot API root; <c>bot{token}/sendMessage</c> is below it.</summary>
    public Uri ApiUrl { get; init; } = new("https://api.telegram.org");

    /// <summary>The bot's token from @BotFather; a secret: never logged, never part of an error message.</summary>
    public required string BotToken { get; init; }

    /// <summary>Numeric chat ids or <c>@channel</c> names.</summary>
    public required IReadOnlyList<string> ChatIds { get; init; }

    internal Uri MethodUrl(string method) => new($"{ApiUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}/bot{BotToken}/{method}");

    internal TelegramChannelOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(BotToken);
        if (ChatIds.Count == 0)
        {
            throw new ArgumentException("No Telegram chat to write to.", nameof(ChatIds));
        }
        if (!ApiUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"The Telegram API URL '{ApiUrl}' is not absolute.", nameof(ApiUrl));
        }
        ValidateRetries();
        return this;
    }
}
