namespace Zakaz.Pipeline.Facts;

/// <summary>What a rebuild wrote: the dates it covered, the one version it wrote them with, and per table the rows.</summary>
public sealed record FactRebuildResult(IReadOnlyList<DateRange> Ranges, ulong Version, IReadOnlyList<FactTableRebuild> Tables)
{
    public long RowsWritten => Tables.Sum(t => t.Rows);
}

/// <summary>
/// Rows written to one fact or mart; <see cref="ZeroRows"/> of them are keys that lost all their
/// data and were rewritten with zeros.
/// </summary>
public sealed record FactTableRebuild(string Table, long Rows, long ZeroRows);
