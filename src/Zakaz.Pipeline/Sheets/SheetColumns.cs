namespace Zakaz.Pipeline.Sheets;

/// <summary>A column a table must (or may) have, and the header names it goes by in English and Russian.</summary>
public sealed record SheetColumn(string Name, bool Required, params string[] Aliases)
{
    public bool Matches(string header)
    {
        var normalized = Normalize(header);
        return Normalize(Name) == normalized || Aliases.Any(a => Normalize(a) == normalized);
    }

    // "План_билетов", "план билетов " and "ПЛАН  БИЛЕТОВ" are one name; ё is written е as often as not.
    internal static string Normalize(string header) =>
        string.Join(' ', header.Trim().Trim('\uFEFF').ToLowerInvariant().Replace('ё', 'е')
            .Split([' ', '_', '\u00A0'], StringSplitOptions.RemoveEmptyEntries));
}

public sealed class SheetColumns
{
    private readonly Dictionary<string, int> _positions;

    private SheetColumns(Dictionary<string, int> positions) => _positions = positions;

    /// <summary>The positions of <paramref name="columns"/> in the header, or one error naming every required column missing.</summary>
    public static SheetColumns Locate(SheetTable table, IReadOnlyList<SheetColumn> columns)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var index = table.Header.ToList().FindIndex(column.Matches);
            if (index >= 0)
            {
                positions[column.Name] = index;
            }
        }
        var missing = columns.Where(c => c.Required && !positions.ContainsKey(c.Name)).ToArray();
        if (missing.Length > 0)
        {
            throw new SheetFormatException(
                $"{table.Source} has no column {string.Join(", ", missing.Select(c => $"{c.Name} ({string.Join(" / ", c.Aliases)})"))} " +
                $"in its header ({string.Join(", ", table.Header.Select(h => h.Trim()))}): the first row must name the columns.");
        }
        return new SheetColumns(positions);
    }

    public bool Has(string column) => _positions.ContainsKey(column);

    public string Cell(SheetRow row, string column) => _positions.TryGetValue(column, out var i) ? row.Cell(i) : "";
}
