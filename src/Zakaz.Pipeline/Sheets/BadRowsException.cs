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

    /// <summary>
    /// Every row as <paramref name="read"/> makes it (null when it listed problems), or this exception naming every bad
    /// row by line, its problems joined by <paramref name="separator"/>; a row repeating an earlier row's key is bad too.
    /// </summary>
    internal static List<T> ReadAll<T, TKey>(SheetTable table, string separator, Func<SheetRow, List<string>, T?> read, Func<T, TKey> key,
        Func<T, int, string> repeats)
        where T : class
        where TKey : notnull
    {
        var values = new List<T>();
        var bad = new List<BadRow>();
        var firstLine = new Dictionary<TKey, int>();
        foreach (var row in table.Rows)
        {
            var problems = new List<string>();
            var value = read(row, problems);
            if (problems.Count == 0 && firstLine.TryGetValue(key(value!), out var earlier))
            {
                problems.Add(repeats(value!, earlier));
            }
            if (problems.Count > 0)
            {
                bad.Add(new BadRow(row.Line, string.Join(separator, problems)));
                continue;
            }
            firstLine[key(value!)] = row.Line;
            values.Add(value!);
        }
        return bad.Count > 0 ? throw new BadRowsException(table.Source, bad) : values;
    }
}
