namespace Zakaz.Storage;

/// <summary>An error reported by the ClickHouse engine, with its numeric code (see ClickHouse's ErrorCodes).</summary>
public class ClickHouseException(int code, string serverMessage, string? queryId = null, Exception? inner = null)
    : Exception($"ClickHouse error {code}: {serverMessage}", inner)
{
    public int Code { get; } = code;

    /// <summary>The engine's own text, without the "Code: N" prefix and stack decoration.</summary>
    public string ServerMessage { get; } = serverMessage;

    public string? QueryId { get; } = queryId;

    /// <summary>Wrong user or password (old servers: 192/193, newer ones: 516).</summary>
    public bool IsAuthenticationFailure => Code is 192 or 193 or 516;
}

/// <summary>The store cannot be reached or opened at all: no server listening, DNS failure, missing chDB library.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class StoreAuthenticationException(string message, ClickHouseException inner)
    : ClickHouseException(inner.Code, inner.ServerMessage, inner.QueryId, inner)
{
    public override string Message { get; } = message;
}
