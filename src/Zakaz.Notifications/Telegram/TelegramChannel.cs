using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Notifications.Telegram;

/// <summary>
/// Telegram through the Bot API's <c>sendMessage</c>: the notification in HTML parse mode (subject in bold, text escaped),
/// in as many messages as the 4096-character limit needs, to every configured chat in turn. 5xx, network errors and
/// flood control (429 with <c>retry_after</c>) are retried by the shared pipeline; the token, part of every URL, is
/// never in a message or a log line.
/// </summary>
public sealed class TelegramChannel : INotificationChannel
{
    private readonly HttpClient _http;
    private readonly TelegramChannelOptions _options;
    private readonly ILogger<TelegramChannel> _logger;

    /// <param name="http">The client of <see cref="NotificationChannels.AddNotificationChannels"/>: the shared pipeline with <see cref="TelegramFloodControlHandler"/> inside.</param>
    internal TelegramChannel(HttpClient http, TelegramChannelOptions options, ILogger<TelegramChannel> logger)
    {
        _http = http;
        _options = options.Validated();
        _logger = logger;
    }

    public string Name => "telegram";

    public IReadOnlyList<string> ChatIds => _options.ChatIds;

    /// <summary>
    /// Delivers to every chat, each chat's messages in order. A failure that concerns one chat (not found, no rights)
    /// does not stop the others; the exception then says how many got it.
    /// </summary>
    public async Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        var messages = TelegramHtml.Render(notification);
        var failures = new List<string>();
        foreach (var chat in ChatIds)
        {
            try
            {
                foreach (var text in messages)
                {
                    await SendMessageAsync(chat, text, cancellationToken);
                }
                _logger.LogInformation("Telegram: delivered '{Subject}' to chat {Chat} in {Messages} message(s)", notification.Subject, chat, messages.Count);
            }
            catch (ChatFailedException e)
            {
                _logger.LogWarning("{Failure}", e.Message);
                failures.Add(e.Message);
            }
        }
        if (failures.Count > 0)
        {
            var delivered = ChatIds.Count - failures.Count;
            throw new NotificationException(delivered == 0 && failures.Count == 1
                ? failures[0]
                : $"Telegram: delivered to {delivered} of {ChatIds.Count} chats; {string.Join("; ", failures)}");
        }
    }

    private async Task SendMessageAsync(string chat, string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["chat_id"] = long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : chat,
            ["text"] = text,
            ["parse_mode"] = "HTML",
            // The Bot API replaced disable_web_page_preview with link_preview_options (7.0) and still honours the old one: both, for any server version.
            ["disable_web_page_preview"] = true,
            ["link_preview_options"] = new JsonObject { ["is_disabled"] = true },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, _options.MethodUrl("sendMessage"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await SourceResilience.SendAsync(_http, request, TelegramError.Source, "sendMessage",
            (message, e) => new NotificationException($"{message}: check ZAKAZ_ALERTS_TELEGRAM_API_URL and the network", e), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var error = await TelegramError.ReadAsync(response, cancellationToken);
        var description = Redact(error.Describe(chat));
        throw error.ConcernsOneChat ? new ChatFailedException(description) : new NotificationException(description);
    }

    /// <summary>Telegram's description is echoed into messages; a token there (it never should be) must not follow it.</summary>
    private string Redact(string text) => text.Replace(_options.BotToken, "<token>", StringComparison.Ordinal);

    private sealed class ChatFailedException(string message) : Exception(message);
}
