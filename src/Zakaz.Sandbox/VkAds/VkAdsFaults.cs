namespace Zakaz.Sandbox.VkAds;

/// <summary>How a VK Ads request can go wrong: what the connector must survive (spec §1, §4, §5).</summary>
public enum VkAdsFaultKind
{
    /// <summary>429 without <c>Retry-After</c>: the client backs off by itself.</summary>
    TooManyRequests,

    /// <summary>429 with <c>Retry-After: 0</c>.</summary>
    TooManyRequestsRetryAfter,

    /// <summary>503 <c>ERR_INTERNAL</c>.</summary>
    ServiceUnavailable,

    /// <summary>500 <c>ERR_INTERNAL</c>.</summary>
    InternalServerError,

    /// <summary>The connection is closed without an answer.</summary>
    DropConnection,

    /// <summary>The presented token expires now; 401 <c>expired_token</c> (a refresh fixes it).</summary>
    ExpireToken,

    /// <summary>The presented token is deleted; 401 <c>invalid_token</c>.</summary>
    InvalidateToken,

    /// <summary>401 <c>expired_token</c> whatever the token: twice in a row is a run that must fail.</summary>
    Unauthorized,
}

/// <summary>
/// Scripted failures of one sandbox, switchable while it runs: "fail the 2nd and 3rd request of route stats with
/// 429". Routes are the names in <see cref="Routes"/> or <c>*</c>; requests are counted per route on arrival.
/// Control routes (<c>/__sandbox/…</c>) are never counted or failed.
/// </summary>
public sealed class VkAdsFaults
{
    public const string AnyRoute = "*";

    public static readonly IReadOnlyList<string> Routes = ["token", "user", "ad_plans", "ad_groups", "banners", "stats"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<(string Route, HashSet<int> Requests, VkAdsFaultKind Kind)> _script = [];

    /// <summary>API requests per route so far (token requests included).</summary>
    public int Requests(string route) =>
        _gate.Locked(() => route == AnyRoute ? _requests.Values.Sum() : _requests.GetValueOrDefault(route));

    /// <summary>Fails the given requests (1-based, counted from the sandbox's start) of <paramref name="route"/>.</summary>
    public void Fail(string route, VkAdsFaultKind kind, params int[] requests)
    {
        if (route != AnyRoute && !Routes.Contains(route))
        {
            throw new ArgumentException($"Unknown route '{route}': one of {string.Join(", ", Routes)} or *.");
        }
        _gate.Locked(() => _script.Add((route, [.. requests], kind)));
    }

    public void FailNext(string route, VkAdsFaultKind kind, int count) =>
        Fail(route, kind, [.. Enumerable.Range(Requests(route) + 1, count)]);

    public void Clear() => _gate.Locked(_script.Clear);

    /// <summary><c>{"clear"?: true, "fail": [{"route", "requests": [n…], "kind": "too_many_requests"}]}</c></summary>
    internal void Apply(JsonElement input)
    {
        if (input.TryGetProperty("clear", out JsonElement clear) && clear.GetBoolean())
        {
            Clear();
        }
        if (input.TryGetProperty("fail", out JsonElement fail))
        {
            foreach (JsonElement entry in fail.EnumerateArray())
            {
                string kindText = entry.GetProperty("kind").GetString() ?? "";
                VkAdsFaultKind kind = Enum.TryParse(kindText.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out VkAdsFaultKind parsed)
                    ? parsed
                    : throw new ArgumentException($"Unknown fault kind '{kindText}': one of {string.Join(", ", Enum.GetNames<VkAdsFaultKind>())} (snake_case).");
                Fail(entry.GetProperty("route").GetString() ?? "", kind, [.. entry.GetProperty("requests").EnumerateArray().Select(r => r.GetInt32())]);
            }
        }
    }

    internal void WriteState(Utf8JsonWriter writer) => _gate.Locked(() => JsonSerializer.Serialize(writer, new
    {
        requests = _requests,
        fail = _script.Select(s => new { route = s.Route, kind = s.Kind.ToString(), requests = s.Requests.Order() }),
    }));

    /// <summary>Counts a request of <paramref name="route"/> and says how it must fail, if it must.</summary>
    internal VkAdsFaultKind? Arrive(string route) => _gate.Locked(() =>
    {
        int n = _requests[route] = _requests.GetValueOrDefault(route) + 1;
        int any = _requests.Values.Sum();
        foreach (var (scripted, requests, kind) in _script)
        {
            if ((scripted == route && requests.Contains(n)) || (scripted == AnyRoute && requests.Contains(any)))
            {
                return kind;
            }
        }
        return (VkAdsFaultKind?)null;
    });
}
