using System.Text;

namespace Zakaz.Storage;

/// <summary>Quoting of identifiers (table and column names), the only part of a statement that cannot be a parameter.</summary>
public static class StoreIdentifiers
{
    /// <summary>Quotes a possibly qualified name (<c>db.table</c>) with backticks, escaping what needs it.</summary>
    public static string Quote(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var parts = name.Split('.');
        return string.Join('.', parts.Select(QuotePart));
    }

    private static string QuotePart(string part)
    {
        var sb = new StringBuilder(part.Length + 2).Append('`');
        foreach (var c in part)
        {
            if (c is '`' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.Append('`').ToString();
    }
}
