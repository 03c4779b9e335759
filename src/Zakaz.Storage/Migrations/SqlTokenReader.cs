namespace Zakaz.Storage.Migrations;

/// <summary>Consumes a statement's tokens only when they match, so the cluster rewriter and the validator read heads alike.</summary>
internal sealed class SqlTokenReader(string sql, List<SqlToken> tokens)
{
    private int _next;

    public int Position => _next;

    public int PreviousEnd => tokens[_next - 1].End;

    public bool Accept(params string[] words)
    {
        if (_next + words.Length > tokens.Count)
        {
            return false;
        }
        for (var i = 0; i < words.Length; i++)
        {
            if (!tokens[_next + i].IsWord(sql, words[i]))
            {
                return false;
            }
        }
        _next += words.Length;
        return true;
    }

    public bool AcceptSymbol(char symbol)
    {
        if (_next < tokens.Count && tokens[_next].IsSymbol(sql, symbol))
        {
            _next++;
            return true;
        }
        return false;
    }

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

    private bool AcceptName()
    {
        if (_next < tokens.Count && (tokens[_next].IsName || tokens[_next].Kind == SqlTokenKind.String))
        {
            _next++;
            return true;
        }
        return false;
    }
}
