namespace Zakaz.Storage;

/// <summary>Lexical helpers shared by everything that has to walk SQL text without executing it.</summary>
public static class SqlText
{
    /// <summary>Returns the index just past the quoted literal or identifier starting at <paramref name="start"/>.</summary>
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

    /// <summary>Quotes a value as a single-quoted SQL string literal.</summary>
    public static string QuoteString(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '\0': sb.Append(@"\0"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('\'').ToString();
    }
}
