namespace Zakaz.Pipeline.Sheets;

/// <summary>One data row of a sheet with the line (or sheet row) it came from, for error messages a person can find.</summary>
public sealed record SheetRow(int Line, IReadOnlyList<string> Cells)
{
    public string Cell(int column) => column < Cells.Count ? Cells[column].Trim() : "";

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// A table as marketing keeps it: a header row and data rows of text, from a CSV file, a sheet's CSV
/// export or the Sheets API. <see cref="Source"/> names it in messages (a file name, a sheet range).
/// </summary>
public sealed record SheetTable(string Source, IReadOnlyList<string> Header, IReadOnlyList<SheetRow> Rows)
{
    /// <summary>Rows from the Sheets API: the first is the header, row numbers count from <paramref name="firstRow"/>.</summary>
    public static SheetTable FromValues(string source, IReadOnlyList<IReadOnlyList<string>> values, int firstRow = 1)
    {
        if (values.Count == 0)
        {
            throw new SheetFormatException($"{source} is empty: it needs a header row.");
        }
        var rows = values.Skip(1).Select((cells, i) => new SheetRow(firstRow + 1 + i, cells)).Where(r => !r.IsBlank).ToArray();
        return new SheetTable(source, values[0], rows);
    }
}

/// <summary>The table itself is unusable (no header, a missing column): nothing was imported.</summary>
public sealed class SheetFormatException(string message) : Exception(message);
