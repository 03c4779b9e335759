using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.Telegram;

/// <summary>
/// A local Telegram Bot API on 127.0.0.1 with the routes alerts need: <c>/bot{token}/sendMessage</c> and <c>getMe</c>,
/// parameters as JSON, form or query string as the Bot API takes them. It answers as Telegram does: 401
/// <c>Unauthorized</c> for another token, 400 for an unknown chat, a text over 4096 characters (after entities) or HTML
/// it cannot parse; and records what it delivered. Scripted faults answer the next requests with 429 and
/// <c>parameters.retry_after</c> (in the body only, as Telegram promises no header) or a 5xx.
/// Tests use it in-process; <c>zakaz sandbox telegram</c> runs it in the foreground.
/// </summary>
public sealed class TelegramSandbox : LoopbackSandbox
{
    public const int MaxTextLength = 4096;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _chats;
    private readonly List<TelegramMessage> _messages = [];
    private readonly Queue<(int Status, int RetryAfter)> _faults = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _requests;

    private TelegramSandbox(string token, bool tokenGenerated, IReadOnlyList<string> chats)
    {
        Token = token;
        TokenGenerated = tokenGenerated;
        Chats = chats;
        _chats = [.. chats];
    }

    /// <summary><c>http://127.0.0.1:port/</c>: the value of <c>ZAKAZ_ALERTS_TELEGRAM_API_URL</c>.</summary>
    public Uri ApiUrl => RootUrl;

    public string Token { get; }

    /// <summary>Whether the sandbox made the token up (then it is a test token, fine to print).</summary>
    public bool TokenGenerated { get; }

    public IReadOnlyList<string> Chats { get; }

    /// <summary>Requests to the Bot API routes so far, faulted and refused ones included.</summary>
    public int Requests => _gate.Locked(() => _requests);

    /// <summary>Messages delivered, in the order they arrived.</summary>
    public IReadOnlyList<TelegramMessage> Messages => _gate.Locked(() => (IReadOnlyList<TelegramMessage>)[.. _messages]);

    /// <summary>Raised for each delivered message, on the request's thread.</summary>
    public event Action<TelegramMessage>? MessageReceived;

    public static async Task<TelegramSandbox> StartAsync(TelegramSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TelegramSandboxOptions();
        var token = options.Token ?? $"{RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue)}:{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 35)}";
        var sandbox = new TelegramSandbox(token, options.Token is null, options.Chats);
        await sandbox.ListenAsync(options.Port, sandbox.HandleAsync, cancellationToken);
        return sandbox;
    }

    /// <summary>The next <paramref name="count"/> requests are answered 429 with <c>parameters.retry_after</c> = <paramref name="retryAfterSeconds"/>.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds) => Script(count, 429, retryAfterSeconds);

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="status"/> (a 5xx) with a proxy's HTML page.</summary>
    public void FailNext(int count, int status = 502) => Script(count, status, 0);

    /// <summary>Completes once the sandbox has had <paramref name="count"/> requests in all.</summary>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_requests >= count)
            {
                return Task.CompletedTask;
            }
            _waiters.Add((count, reached));
        }
        return reached.Task.WaitAsync(cancellationToken);
    }

    private void Script(int count, int status, int retryAfter) => _gate.Locked(() =>
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue((status, retryAfter));
        }
    });

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var slash = path.IndexOf('/', 1);
        if (!path.StartsWith("/bot", StringComparison.Ordinal) || slash < 0)
        {
            await AnswerAsync(context, 404, Error(404, "Not Found"));
            return;
        }
        var (fault, requests) = _gate.Locked(() => (_faults.TryDequeue(out var next) ? next : ((int Status, int RetryAfter)?)null, ++_requests));
        try
        {
            if (fault is { Status: 429, RetryAfter: var wait })
            {
                var answer = Error(429, $"Too Many Requests: retry after {wait}");
                answer["parameters"] = new JsonObject { ["retry_after"] = wait };
                await AnswerAsync(context, 429, answer);
            }
            else if (fault is { Status: var status })
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><body><h1>{status} Bad Gateway</h1></body></html>", context.RequestAborted);
            }
            else if (!string.Equals(path[4..slash], Token, StringComparison.Ordinal))
            {
                await AnswerAsync(context, 401, Error(401, "Unauthorized"));
            }
            else
            {
                await MethodAsync(context, path[(slash + 1)..].ToLowerInvariant());
            }
        }
        finally
        {
            Reached(requests);
        }
    }

    private async Task MethodAsync(HttpContext context, string method)
    {
        switch (method)
        {
            case "getme":
                await AnswerAsync(context, 200, Ok(new JsonObject
                {
                    ["id"] = long.Parse(Token.Split(':')[0], CultureInfo.InvariantCulture),
                    ["is_bot"] = true,
                    ["first_name"] = "Zakaz sandbox",
                    ["username"] = "zakaz_sandbox_bot",
                }));
                return;
            case "sendmessage":
                var parameters = await ParametersAsync(context.Request, context.RequestAborted);
                var (status, answer) = SendMessage(parameters);
                await AnswerAsync(context, status, answer);
                return;
            default:
                await AnswerAsync(context, 404, Error(404, "Not Found"));
                return;
        }
    }

    private (int Status, JsonObject Answer) SendMessage(Dictionary<string, string> parameters)
    {
        var chat = parameters.GetValueOrDefault("chat_id");
        var text = parameters.GetValueOrDefault("text");
        var parseMode = parameters.GetValueOrDefault("parse_mode");
        if (string.IsNullOrEmpty(chat))
        {
            return (400, Error(400, "Bad Request: chat_id is empty"));
        }
        if (string.IsNullOrEmpty(text))
        {
            return (400, Error(400, "Bad Request: message text is empty"));
        }
        var shown = text;
        if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            var (parsed, error) = TelegramHtmlCheck.Parse(text);
            if (error is not null)
            {
                return (400, Error(400, error));
            }
            shown = parsed!;
        }
        if (shown.Trim().Length == 0)
        {
            return (400, Error(400, "Bad Request: message text is empty"));
        }
        if (shown.Length > MaxTextLength)
        {
            return (400, Error(400, "Bad Request: message is too long"));
        }
        if (!_chats.Contains(chat))
        {
            return (400, Error(400, "Bad Request: chat not found"));
        }
        var message = new TelegramMessage(chat, text, parseMode);
        var id = _gate.Locked(() =>
        {
            _messages.Add(message);
            return _messages.Count;
        });
        MessageReceived?.Invoke(message);
        return (200, Ok(new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = chat.StartsWith('@')
                ? new JsonObject { ["id"] = -1009000000000 - _chats.Count, ["type"] = "channel", ["username"] = chat[1..] }
                : new JsonObject { ["id"] = long.Parse(chat, CultureInfo.InvariantCulture), ["type"] = chat.StartsWith('-') ? "supergroup" : "private" },
            ["text"] = shown,
        }));
    }

    /// <summary>The Bot API takes parameters in the query string, as JSON, or as a form (urlencoded or multipart).</summary>
    private static async Task<Dictionary<string, string>> ParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(cancellationToken))
            {
                parameters[key] = value.ToString();
            }
        }
        else if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            && await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) is JsonObject body)
        {
            foreach (var (key, value) in body)
            {
                parameters[key] = value switch
                {
                    JsonValue scalar when scalar.TryGetValue(out string? text) => text,
                    null => "",
                    _ => value.ToJsonString(),
                };
            }
        }
        return parameters;
    }

    private void Reached(int requests)
    {
        List<TaskCompletionSource> reached;
        lock (_gate)
        {
            reached = [.. _waiters.Where(w => w.Count <= requests).Select(w => w.Reached)];
            _waiters.RemoveAll(w => w.Count <= requests);
        }
        reached.ForEach(r => r.TrySetResult());
    }

    private static JsonObject Ok(JsonNode result) => new() { ["ok"] = true, ["result"] = result };

    private static JsonObject Error(int code, string description) => new() { ["ok"] = false, ["error_code"] = code, ["description"] = description };

    private static async Task AnswerAsync(HttpContext context, int status, JsonObject answer)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }
}
