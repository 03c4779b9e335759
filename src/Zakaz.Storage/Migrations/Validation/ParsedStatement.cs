namespace Zakaz.Storage.Migrations.Validation;

/// <summary>A table, view or other object as SQL names it: <c>db.name</c>, or a bare name in the session's database.</summary>
internal readonly record struct ObjectName(string? Database, string Name)
{
    public override string ToString() => Database is null ? Name : $"{Database}.{Name}";
}

/// <summary>One statement cut into tokens, with what every rule needs: words, brackets, names, a token's file line.</summary>
internal sealed class ParsedStatement
{
    public ParsedStatement(string file, SqlStatement statement, int ordinal)
    {
        (File, Line, Sql, Ordinal) = (file, statement.Line, statement.Text, ordinal);
        Tokens = SqlTokenizer.Tokenize(Sql);
        Definition = Definition.Read(this);
    }

    public string File { get; }

    public int Line { get; }

    public string Sql { get; }

    /// <summary>The statement's position in the whole set, so rules can ask what came before it.</summary>
    public int Ordinal { get; }

    public List<SqlToken> Tokens { get; }

    public Definition? Definition { get; }

    public int Count => Tokens.Count;

    public SqlTokenReader Reader() => new(Sql, Tokens);

    public string Text(int i) => Sql[Tokens[i].Start..Tokens[i].End];

    public bool IsWord(int i, string word) => i >= 0 && i < Tokens.Count && Tokens[i].IsWord(Sql, word);

    public bool IsAnyWord(int i, params string[] words) => words.Any(w => IsWord(i, w));

    /// <summary>Whether the words come in this order from token <paramref name="i"/> on.</summary>
    public bool AreWords(int i, params string[] words) => words.Select((w, k) => IsWord(i + k, w)).All(match => match);

    public bool IsString(int i) => i >= 0 && i < Tokens.Count && Tokens[i].Kind == SqlTokenKind.String;

    public bool IsNameToken(int i) => i >= 0 && i < Tokens.Count && Tokens[i].IsName;

    public bool IsSymbol(int i, char symbol) => i >= 0 && i < Tokens.Count && Tokens[i].IsSymbol(Sql, symbol);

    public bool IsCall(int i) => i < Tokens.Count && Tokens[i].Kind == SqlTokenKind.Word && IsSymbol(i + 1, '(');

    public string Name(int i) => Tokens[i].Kind == SqlTokenKind.Word ? Text(i) : Sql[(Tokens[i].Start + 1)..(Tokens[i].End - 1)];

    /// <summary>The name in tokens [start, end) as read by <see cref="SqlTokenReader.AcceptQualifiedName"/>.</summary>
    public ObjectName ObjectName(int start, int end) =>
        end - start == 3 && IsSymbol(start + 1, '.')
            ? new ObjectName(Name(start), Name(start + 2))
            : new ObjectName(null, string.Concat(Enumerable.Range(start, end - start).Select(i => Tokens[i].Kind == SqlTokenKind.Symbol ? Text(i) : Name(i))));

    /// <summary>Reads <c>name</c> or <c>db.name</c> at <paramref name="i"/>; null when no name starts there.</summary>
    public (ObjectName Name, int End)? ObjectNameAt(int i) =>
        !IsNameToken(i) ? null
        : IsSymbol(i + 1, '.') && IsNameToken(i + 2) ? (new ObjectName(Name(i), Name(i + 2)), i + 3)
        : (new ObjectName(null, Name(i)), i + 1);

    public int Closing(int open) => SqlTokenizer.Closing(Sql, Tokens, open);

    /// <summary>The indexes in [start, end) outside any parentheses opened in that range.</summary>
    public IEnumerable<int> TopLevel(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            yield return i;
            if (IsSymbol(i, '('))
            {
                i = Closing(i);
            }
        }
    }

    /// <summary>Cuts [start, end) at its top-level commas: the elements of a column list or of an ALTER's clauses.</summary>
    public IEnumerable<(int Start, int End)> Elements(int start, int end)
    {
        var from = start;
        foreach (var i in TopLevel(start, end))
        {
            if (IsSymbol(i, ','))
            {
                yield return (from, i);
                from = i + 1;
            }
        }
        if (from < end)
        {
            yield return (from, end);
        }
    }

    public int LineOf(int i) => Line + Sql.AsSpan(0, Tokens[Math.Min(i, Tokens.Count - 1)].Start).Count('\n');

    public SchemaProblem Problem(int i, string rule, string message) => new(File, LineOf(i), rule, message);
}
