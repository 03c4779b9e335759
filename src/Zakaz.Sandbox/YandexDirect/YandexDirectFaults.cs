namespace Zakaz.Sandbox.YandexDirect;

/// <summary>
/// Scripted failures of one sandbox, switchable while it runs (in-process or <c>POST /__sandbox/faults</c>): what the
/// connector must survive (spec §2, §3). Counts are consumed as requests arrive; control routes are never failed.
/// </summary>
public sealed class YandexDirectFaults
{
    private readonly Lock _gate = new();
    private int _queueFull;
    private int _serverErrors;
    private int _unavailable;
    private int? _pointsAfterReports;

    /// <summary>Faults answered so far.</summary>
    public int Fired { get; private set; }

    /// <summary>The next <paramref name="count"/> report calls answer HTTP 400 error 9000 (too many offline reports).</summary>
    public void QueueFull(int count) => _gate.Locked(() => _queueFull += Count(count));

    /// <summary>The next <paramref name="count"/> report calls answer HTTP 500.</summary>
    public void ServerError(int count) => _gate.Locked(() => _serverErrors += Count(count));

    /// <summary>The next <paramref name="count"/> calls of any service answer error 52 (temporarily unavailable).</summary>
    public void Unavailable(int count = 1) => _gate.Locked(() => _unavailable += Count(count));

    /// <summary>
    /// After <paramref name="reports"/> more reports answered 200, the next call of any service answers error 152 (not
    /// enough points), once: a run stops mid-way.
    /// </summary>
    public void NotEnoughPointsAfter(int reports) => _gate.Locked(() => _pointsAfterReports = Count(reports));

    public void Clear() => _gate.Locked(() =>
    {
        _queueFull = _serverErrors = _unavailable = 0;
        _pointsAfterReports = null;
    });

    /// <summary><c>{"clear"?: true, "queue_full"?: n, "server_error"?: n, "unavailable"?: n, "not_enough_points_after"?: k}</c></summary>
    internal void Apply(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("A JSON object expected: {\"clear\", \"queue_full\", \"server_error\", \"unavailable\", \"not_enough_points_after\"}.");
        }
        if (input.TryGetProperty("clear", out JsonElement clear) && clear.GetBoolean())
        {
            Clear();
        }
        foreach (JsonProperty property in input.EnumerateObject())
        {
            Action<int>? apply = property.Name switch
            {
                "queue_full" => QueueFull,
                "server_error" => ServerError,
                "unavailable" => Unavailable,
                "not_enough_points_after" => NotEnoughPointsAfter,
                "clear" => null,
                _ => throw new ArgumentException($"Unknown fault '{property.Name}': queue_full, server_error, unavailable, not_enough_points_after or clear."),
            };
            apply?.Invoke(property.Value.GetInt32());
        }
    }

    internal void WriteState(Utf8JsonWriter writer) => _gate.Locked(() => JsonSerializer.Serialize(writer, new
    {
        queue_full = _queueFull,
        server_error = _serverErrors,
        unavailable = _unavailable,
        not_enough_points_after = _pointsAfterReports,
        fired = Fired,
    }));

    /// <summary>The fault a call of <paramref name="service"/> must answer, if any; consumes it.</summary>
    internal DirectFault? Arrive(string service) => _gate.Locked(() =>
    {
        DirectFault? fault = null;
        if (_pointsAfterReports == 0)
        {
            _pointsAfterReports = null;
            fault = DirectFault.NotEnoughPoints;
        }
        else if (_unavailable > 0)
        {
            _unavailable--;
            fault = DirectFault.Unavailable;
        }
        else if (service == "reports" && _serverErrors > 0)
        {
            _serverErrors--;
            fault = DirectFault.ServerError;
        }
        else if (service == "reports" && _queueFull > 0)
        {
            _queueFull--;
            fault = DirectFault.QueueFull;
        }
        Fired += fault is null ? 0 : 1;
        return fault;
    });

    /// <summary>A report went out with 200: counts down to the scripted error 152.</summary>
    internal void ReportServed() => _gate.Locked(() =>
    {
        if (_pointsAfterReports > 0)
        {
            _pointsAfterReports--;
        }
    });

    private static int Count(int count) => count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "A count of calls can't be negative.");
}

internal enum DirectFault
{
    QueueFull,
    ServerError,
    Unavailable,
    NotEnoughPoints,
}
