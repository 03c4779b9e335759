using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Zakaz.Notifications.Telegram;

/// <summary>
/// An error answer of the Bot API (<c>{"ok": false, "error_code", "description", "parameters"}</c>), and what it means
/// for the operator. The description is Telegram's own text; it never holds the token, which is only in the URL path.
/// </summary>
internal sealed record TelegramError(HttpStatusCode Status, string? Description, long? RetryAfter, long? MigrateToChatId)
{
    public const string Source = "Telegram";

    public static async Task<TelegramError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Read from the buffer, not a stream: the answer is read again (a retry's log line, then the error), and the
        // stream HttpContent hands out is one shared object that a first reader would close.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? answer = null;
        try
        {
            answer = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // A proxy's HTML page (502, 504): the status says enough.
        }
        var parameters = answer?["parameters"] as JsonObject;
        return new TelegramError(response.StatusCode, Text(answer?["description"]), Number(parameters?["retry_after"]), Number(parameters?["migrate_to_chat_id"]));
    }

    /// <summary>Errors that concern one chat (its id, the bot's rights there): the other chats are still worth trying.</summary>
    public bool ConcernsOneChat => Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden;

    /// <summary>The status and Telegram's description, as a retry's log line gives them.</summary>
    public string Said => $"HTTP {(int)Status}{(Description is { } d ? ": " + d : "")}";

    /// <summary>One line naming what failed and what to do.</summary>
    public string Describe(string chat)
    {
        var said = Said;
        return Status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.NotFound =>
                $"Telegram refused the bot token ({said}): check ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN (the token @BotFather gave) and ZAKAZ_ALERTS_TELEGRAM_API_URL",
            HttpStatusCode.BadRequest when MigrateToChatId is { } migrated =>
                $"Telegram: chat {chat} became a supergroup ({said}): set ZAKAZ_ALERTS_TELEGRAM_CHAT_ID to {migrated.ToString(CultureInfo.InvariantCulture)}",
            HttpStatusCode.BadRequest when Description?.Contains("chat not found", StringComparison.OrdinalIgnoreCase) == true =>
                $"Telegram: chat {chat}: {Description}: check ZAKAZ_ALERTS_TELEGRAM_CHAT_ID and that the bot was added to the chat (to a channel as an administrator)",
            HttpStatusCode.BadRequest => $"Telegram refused the message to chat {chat} ({said})",
            HttpStatusCode.Forbidden =>
                $"Telegram: the bot may not write to chat {chat} ({said}): add the bot to the chat (to a channel as an administrator), or unblock it",
            HttpStatusCode.TooManyRequests =>
                $"Telegram kept limiting the bot ({said}{(RetryAfter is { } wait ? $", retry after {wait.ToString(CultureInfo.InvariantCulture)} s" : "")}): too many messages; the next alert will try again",
            _ => $"Telegram sendMessage failed ({said}): the Bot API did not accept the message after every retry; check ZAKAZ_ALERTS_TELEGRAM_API_URL and the network",
        };
    }

    /// <summary>
    /// Telegram puts flood control's wait in the body (<c>parameters.retry_after</c>) and does not promise a
    /// <c>Retry-After</c> header; the shared pipeline waits for the header, so the body's value becomes one.
    /// </summary>
    public void CopyRetryAfterTo(HttpResponseMessage response)
    {
        if (RetryAfter is { } seconds && response.Headers.RetryAfter is null)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(Math.Max(seconds, 0)));
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue(out long number) ? number : null;
}

/// <summary>
/// Inside each attempt of the shared pipeline: a 429's <c>retry_after</c> from the body is made the answer's
/// <c>Retry-After</c>, so the pipeline's retry waits exactly as long as Telegram asked.
/// </summary>
internal sealed class TelegramFloodControlHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            (await TelegramError.ReadAsync(response, cancellationToken)).CopyRetryAfterTo(response);
        }
        return response;
    }
}
