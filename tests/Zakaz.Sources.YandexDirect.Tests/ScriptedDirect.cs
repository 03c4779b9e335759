using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Zakaz.Sandbox;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>What the stand-in received: the service below <c>/json/v5/</c>, the headers, the body, and when (on the test's clock).</summary>
internal sealed record DirectRequest(string Service, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public JsonNode Params => Json["params"]!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>A report's period as <c>DateFrom…DateTo</c>.</summary>
    public string Period => $"{Params["SelectionCriteria"]!["DateFrom"]}…{Params["SelectionCriteria"]!["DateTo"]}";

    public string ReportName => (string)Params["ReportName"]!;
}

/// <summary>One scripted answer.</summary>
internal sealed record Answer(int Status, string Body = "", string ContentType = "application/json; charset=utf-8", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Answer Tsv(string body) => new(200, body, "text/tab-separated-values; charset=utf-8");

    public static Answer Offline(int status, int retryIn) =>
        new(status, "", "text/plain", new Dictionary<string, string> { ["retryIn"] = retryIn.ToString(CultureInfo.InvariantCulture), ["reportsInQueue"] = "1" });

    public static Answer Error(int status, int code, string text, string detail = "") =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject { ["request_id"] = "8391647215", ["error_code"] = code, ["error_string"] = text, ["error_detail"] = detail },
        }.ToJsonString());

    public static Answer Result(string objects, IEnumerable<JsonNode> items, long? limitedBy = null, string? units = null)
    {
        var result = new JsonObject { [objects] = new JsonArray(items.Select(i => i.DeepClone()).ToArray()) };
        if (limitedBy is { } next)
        {
            result["LimitedBy"] = next;
        }
        return new Answer(200, new JsonObject { ["result"] = result }.ToJsonString(),
            Headers: units is null ? null : new Dictionary<string, string> { ["Units"] = units });
    }
}

/// <summary>
/// A scripted Direct on 127.0.0.1 under <c>/json/v5/</c>: each service plays its queued answers in order, then its
/// responder; it records every request. Anything unscripted answers 418, which no client retries, so a test fails loudly.
/// </summary>
internal sealed class ScriptedDirect : LoopbackSandbox
{
    private readonly Dictionary<string, Queue<Answer>> _scripts = [];
    private readonly Dictionary<string, Func<DirectRequest, Answer>> _responders = [];
    private readonly List<DirectRequest> _requests = [];
    private readonly TimeProvider _clock;

    private ScriptedDirect(TimeProvider clock) => _clock = clock;

    public Uri BaseUrl => new(RootUrl, "json/v5/");

    public IReadOnlyList<DirectRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<ScriptedDirect> StartAsync(TimeProvider? clock = null)
    {
        var server = new ScriptedDirect(clock ?? TimeProvider.System);
        await server.ListenAsync(0, server.HandleAsync, CancellationToken.None);
        return server;
    }

    public void Script(string service, params Answer[] answers)
    {
        lock (_requests)
        {
            var queue = _scripts.TryGetValue(service, out var q) ? q : _scripts[service] = new Queue<Answer>();
            foreach (var answer in answers)
            {
                queue.Enqueue(answer);
            }
        }
    }

    public void Respond(string service, Func<DirectRequest, Answer> responder)
    {
        lock (_requests)
        {
            _responders[service] = responder;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body);
        var request = new DirectRequest(path.StartsWith("/json/v5/", StringComparison.Ordinal) ? path["/json/v5/".Length..] : path,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync(), _clock.GetUtcNow());
        Func<DirectRequest, Answer>? responder;
        Answer? answer = null;
        lock (_requests)
        {
            _requests.Add(request);
            if (_scripts.TryGetValue(request.Service, out var queue) && queue.TryDequeue(out var next))
            {
                answer = next;
            }
            _responders.TryGetValue(request.Service, out responder);
        }
        answer ??= context.Request.Method != "POST" ? new Answer(405, "only POST")
            : responder?.Invoke(request) ?? new Answer(418, $"nothing scripted for '{path}'", "text/plain");
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.Headers["RequestId"] = "8391647215";
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
        await context.Response.WriteAsync(answer.Body);
    }
}
