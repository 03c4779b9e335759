namespace Zakaz.Storage;

/// <summary>Per-query knobs that both engines honour.</summary>
public sealed record QueryOptions
{
    /// <summary>Shows up in system.query_log and in errors, so a failed query can be found on the server.</summary>
    public string? QueryId { get; init; }

    /// <summary>ClickHouse settings for this query only (for example max_execution_time).</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>Client-side limit on the whole request; the server default applies when null.</summary>
    public TimeSpan? Timeout { get; init; }
}

public sealed record InsertOptions
{
    /// <summary>Serialized rows are handed to the engine in chunks of about this many bytes, so memory stays flat.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    public string? QueryId { get; init; }

    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>Called after each chunk with the rows sent so far, for progress display.</summary>
    public Action<long>? Progress { get; init; }
}
