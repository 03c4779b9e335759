namespace Zakaz.Storage.Migrations;

/// <summary>Consumes a statement's tokens only when they match, so the cluster rewriter and the validator read heads alike.</summary>
internal sealed class SqlTokenReader(string sql, List<SqlToken> tokens)
{
    private int _next;

    public int Position => _next;

    public int PreviousEnd => tokens[_next - 1].End;

    public bool Accept(params string[] words) =>
        Advance(_next + words.Length <= tokens.Count && words.Select((word, i) => tokens[_next + i].IsWord(sql, word)).All(match => match), words.Length);

    public bool AcceptSymbol(char symbol) => Advance(_next < tokens.Count && tokens[_next].IsSymbol(sql, symbol), 1);

    /// <summary>Consumes <c>name</c>, <c>db.name</c> or a user's <c>name@'host'</c>.</summary>
    public bool AcceptQualifiedName()
    {
        if (!AcceptName())
        {
            return false;
        }
        while (AcceptSymbol('.') || AcceptSymbol('@'))
        {
            if (!AcceptName())
            {
                return false;
            }
        }
        return true;
    }

    public bool AlreadyOnCluster() =>
        _next + 1 < tokens.Count && tokens[_next].IsWord(sql, "ON") && tokens[_next + 1].IsWord(sql, "CLUSTER");

    private bool AcceptName() => Advance(_next < tokens.Count && (tokens[_next].IsName || tokens[_next].Kind == SqlTokenKind.String), 1);

    private bool Advance(bool matches, int count)
    {
        _next += matches ? count : 0;
        return matches;
    }
}
