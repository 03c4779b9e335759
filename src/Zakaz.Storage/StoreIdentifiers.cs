namespace Zakaz.Storage;

/// <summary>Quoting of identifiers (table and column names), the only part of a statement that cannot be a parameter.</summary>
public static class StoreIdentifiers
{
    /// <summary>Quotes each part of <c>db.table</c> with backticks.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return string.Join('.', name.Split('.').Select(QuotePart));
    }

    private static string QuotePart(string part) =>
        "`" + part.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";
}
