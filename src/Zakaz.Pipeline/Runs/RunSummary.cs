namespace Zakaz.Pipeline.Runs;

/// <summary>What an ok run records: its row count, and metrics stored as JSON text (per-stream counts, timings).</summary>
public readonly record struct RunSummary(long Rows, object? Metrics = null);
