namespace Zakaz.Storage;

/// <summary>Lexical helpers shared by everything that has to walk SQL text without executing it.</summary>
public static class SqlText
{
    public static int SkipQuoted(string sql, int start)
    {
        var quote = sql[start];
        var i = start + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c == quote)
            {
                // A doubled quote is an escaped quote inside the literal.
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.Length;
    }

    public static int SkipLineComment(string sql, int start)
    {
        var end = sql.IndexOf('\n', start);
        return end < 0 ? sql.Length : end + 1;
    }

    public static int SkipBlockComment(string sql, int start)
    {
        var end = sql.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return end < 0 ? sql.Length : end + 2;
    }

    public static string QuoteString(string value) => "'" + Escape(value, quote: true) + "'";

    /// <summary>Backslash escapes of TabSeparated text, and of the single quote too in a literal (<paramref name="quote"/>).</summary>
    internal static string Escape(string value, bool quote)
    {
        if (value.AsSpan().IndexOfAny("\\'\0\n\r\t") < 0)
        {
            return value;
        }
        var sb = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            var escaped = c switch
            {
                '\\' => @"\\",
                '\'' when quote => @"\'",
                '\0' => @"\0",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ => null,
            };
            _ = escaped is null ? sb.Append(c) : sb.Append(escaped);
        }
        return sb.ToString();
    }
}
