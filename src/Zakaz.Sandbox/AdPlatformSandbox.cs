using Microsoft.AspNetCore.Http;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox;

/// <summary>
/// What the ad platform stand-ins share beside their APIs: the anchor, the spend summary and the control routes, without
/// a token: <c>GET /__sandbox/truth</c> (the <see cref="AdGroundTruth"/>), <c>GET|POST /__sandbox/faults</c> and
/// <c>POST /__sandbox/restate</c> (one ad-day's new figures, in the platform's own field names), plus whatever
/// <see cref="PlatformRoutes"/> a platform adds.
/// </summary>
public abstract class AdPlatformSandbox : LoopbackSandbox
{
    private const string ControlPath = "/__sandbox";

    private protected AdPlatformSandbox(DateTimeOffset anchor) => Anchor = anchor.ToOffset(TimeSpan.FromHours(3));

    public Uri TruthUrl => new(RootUrl, ControlPath.TrimStart('/') + "/truth");

    /// <summary>"Now" of the generated data, in Moscow time; spend runs up to the day before.</summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>The first and last day with spend (the day before the anchor twice when nothing spent).</summary>
    public abstract (DateOnly From, DateOnly To) SpendDays { get; }

    public abstract int CampaignCount { get; }

    /// <summary>Further POST routes under <c>/__sandbox/</c>, by name; each answers 204.</summary>
    private protected virtual IReadOnlyDictionary<string, Action<JsonElement>> PlatformRoutes { get; } =
        new Dictionary<string, Action<JsonElement>>();

    private protected abstract string TruthJson();

    private protected abstract void ApplyFaults(JsonElement script);

    private protected abstract void WriteFaults(Utf8JsonWriter writer);

    /// <summary>Applies the body of <c>POST /__sandbox/restate</c>.</summary>
    private protected abstract void Restate(JsonElement day);

    private protected static DateOnly DateOf(JsonElement day) =>
        DateOnly.ParseExact(day.GetProperty("date").GetString() ?? "", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private protected static decimal Money(JsonElement day, string name) =>
        decimal.Parse(day.GetProperty(name).ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A count the body may leave out: 0 then.</summary>
    private protected static long Count(JsonElement day, string name) =>
        day.TryGetProperty(name, out JsonElement count) ? count.GetInt64() : 0;

    /// <summary>Starts listening: <c>/__sandbox/…</c> goes to the control routes, everything else to the platform's API.</summary>
    private protected Task ServeAsync(int port, RequestDelegate api, CancellationToken cancellationToken) =>
        ListenAsync(port, context => context.Request.Path.StartsWithSegments(ControlPath, StringComparison.Ordinal)
            ? ControlAsync(context)
            : api(context), cancellationToken);

    private async Task ControlAsync(HttpContext context)
    {
        string route = (context.Request.Path.Value ?? "")[ControlPath.Length..];
        bool post = HttpMethods.IsPost(context.Request.Method);
        try
        {
            using JsonDocument? body = post ? await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) : null;
            JsonElement input = body?.RootElement ?? default;
            switch (route, post)
            {
                case ("/truth", false):
                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(TruthJson(), context.RequestAborted);
                    return;
                case ("/faults", true):
                    ApplyFaults(input);
                    await VkAdsApi.WriteAsync(context, 200, WriteFaults);
                    return;
                case ("/faults", false):
                    await VkAdsApi.WriteAsync(context, 200, WriteFaults);
                    return;
                case ("/restate", true):
                    Restate(input);
                    context.Response.StatusCode = 204;
                    return;
                case (['/', .. string name], true) when PlatformRoutes.TryGetValue(name, out Action<JsonElement>? change):
                    change(input);
                    context.Response.StatusCode = 204;
                    return;
                default:
                    string routes = string.Concat(PlatformRoutes.Keys.Select(name => ", POST " + name));
                    await VkAdsApi.WriteAsync(context, 404, w => JsonSerializer.Serialize(w,
                        new { error = "No such sandbox route: GET truth, GET/POST faults, POST restate" + routes }));
                    return;
            }
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or JsonException or FormatException or InvalidOperationException)
        {
            await VkAdsApi.WriteAsync(context, 400, w => JsonSerializer.Serialize(w, new { error = e.Message }));
        }
    }
}
