namespace Zakaz.Storage.Migrations.Validation;

internal enum ObjectKind
{
    Database,
    Table,
    View,
    MaterializedView,
    Dictionary,
    Function,
    Role,
    User,
}

/// <summary>Where a name must be unique: tables, views and dictionaries of a database share one.</summary>
internal enum NameScope
{
    Object,
    Database,
    Function,
    Role,
    User,
}

/// <summary>What a CREATE statement creates, read from its head: <c>CREATE [OR REPLACE] kind [IF NOT EXISTS] name</c>.</summary>
/// <param name="Keyword">The kind as the statement spells it, e.g. <c>MATERIALIZED VIEW</c>.</param>
/// <param name="Names">With their token index; roles and users can be created several at a time.</param>
/// <param name="BodyStart">The first token after the names (and ON CLUSTER): a column list, ENGINE, AS SELECT...</param>
internal sealed record Definition(ObjectKind Kind, string Keyword, bool OrReplace, bool IfNotExists, IReadOnlyList<(ObjectName Name, int Token)> Names, int BodyStart)
{
    private static readonly (string[] Words, ObjectKind Kind)[] Kinds =
    [
        (["DATABASE"], ObjectKind.Database),
        (["TABLE"], ObjectKind.Table),
        (["VIEW"], ObjectKind.View),
        (["MATERIALIZED", "VIEW"], ObjectKind.MaterializedView),
        (["DICTIONARY"], ObjectKind.Dictionary),
        (["FUNCTION"], ObjectKind.Function),
        (["ROLE"], ObjectKind.Role),
        (["USER"], ObjectKind.User),
    ];

    /// <summary>The token naming the table engine (a table's, or a materialized view's inner table), if any.</summary>
    public int? EngineToken { get; private set; }

    /// <summary>Views and functions are code: replacing them loses nothing, keeping an old one silently ignores a change.</summary>
    public bool IsCode => Kind is ObjectKind.View or ObjectKind.Function;

    public NameScope Scope => Kind switch
    {
        ObjectKind.Database => NameScope.Database,
        ObjectKind.Function => NameScope.Function,
        ObjectKind.Role => NameScope.Role,
        ObjectKind.User => NameScope.User,
        _ => NameScope.Object,
    };

    public string DisplayNames => string.Join(", ", Names.Select(n => n.Name));

    public static Definition? Read(ParsedStatement statement)
    {
        var reader = statement.Reader();
        if (!reader.Accept("CREATE"))
        {
            return null;
        }
        var orReplace = reader.Accept("OR", "REPLACE");
        _ = reader.Accept("TEMPORARY");
        var (words, kind) = Kinds.FirstOrDefault(k => reader.Accept(k.Words));
        if (words is null)
        {
            return null;
        }
        var ifNotExists = reader.Accept("IF", "NOT", "EXISTS");
        // Roles and users put OR REPLACE after the kind of object.
        orReplace |= reader.Accept("OR", "REPLACE");
        var names = new List<(ObjectName, int)>();
        do
        {
            var start = reader.Position;
            if (!reader.AcceptQualifiedName())
            {
                break;
            }
            names.Add((statement.ObjectName(start, reader.Position), start));
        }
        while (kind is ObjectKind.Role or ObjectKind.User && reader.AcceptSymbol(','));
        if (reader.Accept("ON", "CLUSTER"))
        {
            _ = reader.AcceptQualifiedName();
        }
        var definition = new Definition(kind, string.Join(' ', words), orReplace, ifNotExists, names, reader.Position);
        if (kind is ObjectKind.Table or ObjectKind.MaterializedView)
        {
            var engine = statement.TopLevel(definition.BodyStart, statement.Count).FirstOrDefault(i => statement.IsWord(i, "ENGINE"), -1);
            if (engine >= 0)
            {
                definition.EngineToken = statement.IsSymbol(engine + 1, '=') ? engine + 2 : engine + 1;
            }
        }
        return definition;
    }
}
