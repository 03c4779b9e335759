namespace Zakaz.Sandbox.Qtickets;

/// <summary>How an API request can go wrong; what a client must survive according to the spec's §5.</summary>
public enum QticketsFaultKind
{
    /// <summary>503 with the vendor's <c>UNKNOWN_ERROR</c> JSON.</summary>
    ServiceUnavailable,

    /// <summary>500 with a JSON error.</summary>
    InternalServerError,

    /// <summary>502 with the front proxy's HTML page.</summary>
    BadGateway,

    /// <summary>The connection is closed without an answer.</summary>
    DropConnection,

    /// <summary>The normal answer, after <see cref="QticketsFaults.SlowResponseDelay"/> (beyond a client's timeout).</summary>
    SlowResponse,

    /// <summary>429 with <c>Retry-After</c> of <see cref="QticketsFaults.RetryAfter"/> in seconds.</summary>
    TooManyRequests,

    /// <summary>200 <c>application/json</c> with the normal answer cut in half.</summary>
    MalformedJson,

    /// <summary>200 <c>application/json</c> with an empty body.</summary>
    EmptyBody,

    /// <summary>404 with the site's HTML page, as for an unknown route.</summary>
    HtmlNotFound,
}

/// <summary>
/// Latency and failures of one sandbox, switchable while it runs. Requests are counted per route on arrival, so
/// "fail the 3rd request of orders" is exact even under concurrency; routes are the names in <see cref="Routes"/>,
/// or <see cref="AnyRoute"/> for every API request. Control routes (<c>/__sandbox/…</c>) are never counted or failed.
/// </summary>
public sealed class QticketsFaults
{
    public const string AnyRoute = "*";

    public static readonly IReadOnlyList<string> Routes =
        ["orders", "orders/{id}", "events", "events/{id}", "shows/{id}/seats", "discounts", "discounts/{id}", "promo-codes",
            "color-themes"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<ScriptedFault> _script = [];
    private SandboxRandom _random;
    private double _randomRate;
    private QticketsFaultKind[] _randomKinds = [];
    private TimeSpan _latency;
    private TimeSpan _latencyJitter;
    private TimeSpan _slowResponseDelay = DefaultSlowResponseDelay;
    private TimeSpan _retryAfter = DefaultRetryAfter;
    private bool _ignoreFilters;
    private int _faultsFired;

    internal QticketsFaults(int seed) => _random = SandboxRandom.For(seed, SandboxRandom.Purpose.Faults, 0);

    /// <summary>Longer than the connector's 60 s request timeout.</summary>
    public static TimeSpan DefaultSlowResponseDelay { get; } = TimeSpan.FromSeconds(90);

    public static TimeSpan DefaultRetryAfter { get; } = TimeSpan.FromSeconds(1);

    public TimeSpan SlowResponseDelay
    {
        get => _gate.Locked(() => _slowResponseDelay);
        set => _gate.Locked(() => _slowResponseDelay = value);
    }

    public TimeSpan RetryAfter
    {
        get => _gate.Locked(() => _retryAfter);
        set => _gate.Locked(() => _retryAfter = value);
    }

    /// <summary>
    /// Answer <c>/orders</c> as if <c>where</c> and <c>orderBy</c> were not there: the spec says the real API may
    /// ignore them, so a connector must filter again and not rely on order.
    /// </summary>
    public bool IgnoreFilters
    {
        get => _gate.Locked(() => _ignoreFilters);
        set => _gate.Locked(() => _ignoreFilters = value);
    }

    /// <summary>API requests that arrived on <paramref name="route"/> (or on any route for <see cref="AnyRoute"/>).</summary>
    public int RequestCount(string route) => _gate.Locked(() => _requests.GetValueOrDefault(CheckRoute(route)));

    public int FaultsFired => _gate.Locked(() => _faultsFired);

    /// <summary>Every request waits <paramref name="latency"/> plus a random part up to <paramref name="jitter"/>.</summary>
    public void SetLatency(TimeSpan latency, TimeSpan jitter = default) => _gate.Locked(() =>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, TimeSpan.Zero);
        _latency = latency;
        _latencyJitter = jitter;
    });

    /// <summary>
    /// Fails the given requests of <paramref name="route"/>, numbered from 1 and counted from this call on:
    /// <c>Fail("orders", ServiceUnavailable, 2, 3)</c> fails the second and third <c>/orders</c> requests from now.
    /// </summary>
    public void Fail(string route, QticketsFaultKind kind, params int[] requestNumbers) => _gate.Locked(() =>
    {
        int already = _requests.GetValueOrDefault(CheckRoute(route));
        foreach (int number in requestNumbers)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(number, 1, nameof(requestNumbers));
            _script.Add(new ScriptedFault(route, already + number, kind));
        }
    });

    /// <summary>Fails each request with probability <paramref name="rate"/>, with one of <paramref name="kinds"/>.</summary>
    public void FailRandomly(double rate, params QticketsFaultKind[] kinds) => _gate.Locked(() =>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rate, 1);
        if (rate > 0 && kinds.Length == 0)
        {
            throw new ArgumentException("Random faults need at least one kind.", nameof(kinds));
        }
        _randomRate = rate;
        _randomKinds = kinds;
    });

    /// <summary>Back to the happy path: no faults, no latency, filters honoured. Request counts are kept.</summary>
    public void Clear() => _gate.Locked(() =>
    {
        _script.Clear();
        _randomRate = 0;
        _randomKinds = [];
        _latency = TimeSpan.Zero;
        _latencyJitter = TimeSpan.Zero;
        _slowResponseDelay = DefaultSlowResponseDelay;
        _retryAfter = DefaultRetryAfter;
        _ignoreFilters = false;
    });

    internal (TimeSpan Delay, QticketsFaultKind? Fault) Arrive(string route) => _gate.Locked(() =>
    {
        int number = Increment(route);
        int any = Increment(AnyRoute);
        QticketsFaultKind? fault = null;
        int scripted = _script.FindIndex(s => s.Route == route ? s.Request == number : s.Route == AnyRoute && s.Request == any);
        if (scripted >= 0)
        {
            fault = _script[scripted].Kind;
            _script.RemoveAt(scripted);
        }
        else if (_randomRate > 0 && _random.Chance(_randomRate))
        {
            fault = _random.Pick(_randomKinds);
        }
        _faultsFired += fault is null ? 0 : 1;
        TimeSpan jitter = _latencyJitter > TimeSpan.Zero ? _latencyJitter * _random.NextDouble() : TimeSpan.Zero;
        return (_latency + jitter, fault);
    });

    /// <summary>
    /// Applies <c>POST /__sandbox/faults</c>: <c>{"clear":true, "latency_ms":150, "latency_jitter_ms":50,
    /// "slow_response_ms":5000, "retry_after_seconds":2, "ignore_filters":true, "random":{"rate":0.1,
    /// "kinds":["service_unavailable"]}, "fail":[{"route":"orders", "requests":[2,3], "kind":"too_many_requests"}]}</c>;
    /// every key is optional.
    /// </summary>
    internal void Apply(JsonElement body)
    {
        if (body.TryGetProperty("clear", out JsonElement clear) && clear.GetBoolean())
        {
            Clear();
        }
        if (body.TryGetProperty("latency_ms", out JsonElement latency))
        {
            SetLatency(TimeSpan.FromMilliseconds(latency.GetDouble()),
                body.TryGetProperty("latency_jitter_ms", out JsonElement jitter) ? TimeSpan.FromMilliseconds(jitter.GetDouble()) : TimeSpan.Zero);
        }
        if (body.TryGetProperty("slow_response_ms", out JsonElement slow))
        {
            SlowResponseDelay = TimeSpan.FromMilliseconds(slow.GetDouble());
        }
        if (body.TryGetProperty("retry_after_seconds", out JsonElement retryAfter))
        {
            RetryAfter = TimeSpan.FromSeconds(retryAfter.GetInt32());
        }
        if (body.TryGetProperty("ignore_filters", out JsonElement ignore))
        {
            IgnoreFilters = ignore.GetBoolean();
        }
        if (body.TryGetProperty("random", out JsonElement random))
        {
            FailRandomly(random.GetProperty("rate").GetDouble(),
                [.. random.GetProperty("kinds").EnumerateArray().Select(k => ParseKind(k.GetString()))]);
        }
        if (body.TryGetProperty("fail", out JsonElement fail))
        {
            foreach (JsonElement rule in fail.EnumerateArray())
            {
                Fail(rule.GetProperty("route").GetString() ?? AnyRoute, ParseKind(rule.GetProperty("kind").GetString()),
                    [.. rule.GetProperty("requests").EnumerateArray().Select(n => n.GetInt32())]);
            }
        }
    }

    /// <summary>The state <c>GET /__sandbox/faults</c> shows: settings, pending scripted faults, request counts.</summary>
    internal void WriteState(Utf8JsonWriter writer) => _gate.Locked(() => JsonSerializer.Serialize(writer, new
    {
        latency_ms = _latency.TotalMilliseconds,
        latency_jitter_ms = _latencyJitter.TotalMilliseconds,
        slow_response_ms = _slowResponseDelay.TotalMilliseconds,
        retry_after_seconds = (int)_retryAfter.TotalSeconds,
        ignore_filters = _ignoreFilters,
        random = new { rate = _randomRate, kinds = _randomKinds.Select(KindName) },
        pending = _script.Select(f => new { route = f.Route, request = f.Request, kind = KindName(f.Kind) }),
        requests = new SortedDictionary<string, int>(_requests, StringComparer.Ordinal),
        faults_fired = _faultsFired,
    }));

    internal static string KindName(QticketsFaultKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static QticketsFaultKind ParseKind(string? name) =>
        Enum.GetValues<QticketsFaultKind>().Cast<QticketsFaultKind?>().FirstOrDefault(k => KindName(k!.Value) == name) ??
        throw new ArgumentException(
            $"Unknown fault kind '{name}'; known: {string.Join(", ", Enum.GetValues<QticketsFaultKind>().Select(KindName))}.");

    private static string CheckRoute(string route) => route == AnyRoute || Routes.Contains(route)
        ? route
        : throw new ArgumentException($"Unknown route '{route}'; known: {AnyRoute}, {string.Join(", ", Routes)}.", nameof(route));

    private int Increment(string route) => _requests[route] = _requests.GetValueOrDefault(route) + 1;

    private sealed record ScriptedFault(string Route, int Request, QticketsFaultKind Kind);
}
