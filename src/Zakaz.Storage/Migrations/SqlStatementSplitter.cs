namespace Zakaz.Storage.Migrations;

/// <summary>One statement of a script and the 1-based line it starts on, so errors can point at <c>file:line</c>.</summary>
public sealed record SqlStatement(string Text, int Line);

/// <summary>The engines run one statement per query; <c>;</c> inside literals, quoted names and comments does not cut.</summary>
public static class SqlStatementSplitter
{
    /// <summary>Each from its first token to its last (comments around it left out); comment-only pieces are dropped.</summary>
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var line = 1;
        var lineCountedTo = 0;
        int? first = null;
        var last = 0;
        foreach (var token in SqlTokenizer.Tokenize(sql))
        {
            if (token.IsSymbol(sql, ';'))
            {
                Flush();
            }
            else
            {
                first ??= token.Start;
                last = token.End;
            }
        }
        Flush();
        return statements;

        void Flush()
        {
            if (first is not { } start)
            {
                return;
            }
            line += sql.AsSpan(lineCountedTo, start - lineCountedTo).Count('\n');
            lineCountedTo = start;
            statements.Add(new SqlStatement(sql[start..last], line));
            first = null;
        }
    }
}
