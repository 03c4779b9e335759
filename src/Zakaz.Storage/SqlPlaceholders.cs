using Zakaz.Storage.Migrations;

namespace Zakaz.Storage;

/// <summary>Finds <c>{name:Type}</c> placeholders outside string literals, quoted identifiers and comments.</summary>
internal static class SqlPlaceholders
{
    internal readonly record struct Placeholder(int Start, int Length, string Name, string Type);

    public static List<Placeholder> Find(string sql)
    {
        var found = new List<Placeholder>();
        var end = 0;
        foreach (var token in SqlTokenizer.Tokenize(sql))
        {
            if (token.Start >= end && token.IsSymbol(sql, '{') && TryRead(sql, token.Start, out var placeholder))
            {
                found.Add(placeholder);
                end = token.Start + placeholder.Length;
            }
        }
        return found;
    }

    private static bool TryRead(string sql, int start, out Placeholder placeholder)
    {
        placeholder = default;
        var colon = sql.IndexOf(':', start);
        if (colon < 0)
        {
            return false;
        }
        var name = sql[(start + 1)..colon].Trim();
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
        {
            return false;
        }
        // The type may itself hold parentheses and quoted zones: DateTime('Europe/Moscow').
        var depth = 0;
        for (var j = colon + 1; j < sql.Length; j++)
        {
            switch (sql[j])
            {
                case '\'': j = SqlText.SkipQuoted(sql, j) - 1; break;
                case '(': depth++; break;
                case ')': depth--; break;
                case '}' when depth == 0:
                    placeholder = new Placeholder(start, j - start + 1, name, sql[(colon + 1)..j].Trim());
                    return placeholder.Type.Length > 0;
            }
        }
        return false;
    }
}
