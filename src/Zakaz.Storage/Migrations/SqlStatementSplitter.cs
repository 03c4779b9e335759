namespace Zakaz.Storage.Migrations;

/// <summary>One statement of a script and the 1-based line it starts on, so errors can point at <c>file:line</c>.</summary>
public sealed record SqlStatement(string Text, int Line);

/// <summary>
/// Cuts a script into statements. The engines run one statement per query, so a migration file is
/// executed statement by statement; <c>;</c> inside literals, quoted names and comments does not cut.
/// </summary>
public static class SqlStatementSplitter
{
    /// <summary>
    /// The statements of <paramref name="sql"/> in order, each running from its first token to its
    /// last (comments around a statement are left out); empty and comment-only pieces are dropped.
    /// </summary>
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
