namespace Zakaz.Pipeline.Sheets;

/// <summary>A row that cannot be imported and why, by the line a person sees in their editor.</summary>
public sealed record BadRow(int Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>Some rows of a table are wrong, so none of it was imported; <see cref="Rows"/> lists every one.</summary>
public sealed class BadRowsException(string table, IReadOnlyList<BadRow> rows)
    : Exception($"{table}: {rows.Count} bad row(s), nothing was imported: {string.Join("; ", rows.Take(5))}{(rows.Count > 5 ? "; …" : "")}. Fix them and import again.")
{
    public string Table { get; } = table;

    public IReadOnlyList<BadRow> Rows { get; } = rows;
}
