namespace Zakaz.Storage.Migrations;

internal enum SqlTokenKind
{
    /// <summary>A keyword, bare identifier or number.</summary>
    Word,

    /// <summary>An identifier in double quotes or backticks.</summary>
    QuotedName,

    String,

    /// <summary>Any other single character: punctuation and operators.</summary>
    Symbol,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int End)
{
    public bool IsWord(string sql, string word) =>
        Kind == SqlTokenKind.Word && sql.AsSpan(Start, End - Start).Equals(word, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string sql, char symbol) => Kind == SqlTokenKind.Symbol && sql[Start] == symbol;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedName;
}

/// <summary>Cuts SQL into tokens without whitespace and comments, so no text inside literals or comments looks like code.</summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && next == '-')
            {
                i = SqlText.SkipLineComment(sql, i);
            }
            else if (c == '/' && next == '*')
            {
                i = SqlText.SkipBlockComment(sql, i);
            }
            else if (c is '\'' or '"' or '`')
            {
                var end = SqlText.SkipQuoted(sql, i);
                tokens.Add(new SqlToken(c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedName, i, end));
                i = end;
            }
            else if (IsWordChar(c))
            {
                var end = i + 1;
                while (end < sql.Length && IsWordChar(sql[end]))
                {
                    end++;
                }
                tokens.Add(new SqlToken(SqlTokenKind.Word, i, end));
                i = end;
            }
            else
            {
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, i, i + 1));
                i++;
            }
        }
        return tokens;
    }

    /// <summary>The index of the parenthesis that closes the one at <paramref name="open"/>, or the count when it is never closed.</summary>
    public static int Closing(string sql, List<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol(sql, '('))
            {
                depth++;
            }
            else if (tokens[i].IsSymbol(sql, ')') && --depth == 0)
            {
                return i;
            }
        }
        return tokens.Count;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
