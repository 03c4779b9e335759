namespace Zakaz.Storage.Migrations.Validation;

/// <summary>The rules judged on one statement against the catalog of the whole set (data-model.md sections 2 and 5).</summary>
internal static class StatementRules
{
    /// <summary>Depend on when, where or how often they run: a partition key built on one scatters a row's versions.</summary>
    private static readonly HashSet<string> NonDeterministicFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "now", "now64", "nowInBlock", "today", "yesterday", "rand", "rand32", "rand64", "randConstant", "randCanonical", "randUniform",
        "randNormal", "randomString", "generateUUIDv4", "generateUUIDv7", "generateULID", "generateSnowflakeID", "currentDatabase",
        "currentUser", "hostName", "fqdn", "serverUUID", "uptime", "timeZone", "rowNumberInBlock", "rowNumberInAllBlocks", "blockNumber",
    };

    /// <summary>Clauses that end a PARTITION BY expression.</summary>
    private static readonly string[] TableClauses = ["ORDER", "PRIMARY", "SAMPLE", "TTL", "SETTINGS", "COMMENT", "AS", "EMPTY"];

    /// <summary>ALTER clauses that throw data away.</summary>
    private static readonly string[][] DestroyingClauses =
    [
        ["DROP", "COLUMN"], ["DROP", "PARTITION"], ["DROP", "PART"], ["DROP", "DETACHED"], ["DETACH"], ["DELETE"], ["CLEAR", "COLUMN"],
    ];

    public static IEnumerable<SchemaProblem> Check(ParsedStatement statement, SchemaCatalog catalog) =>
        CreateIdempotent(statement)
            .Concat(SingleDefinition(statement, catalog))
            .Concat(NoDestructive(statement))
            .Concat(Alter(statement, catalog))
            .Concat(TableLayout(statement))
            .Concat(ViewReads.Check(statement, catalog))
            .Concat(Grants.Check(statement, catalog));

    private static IEnumerable<SchemaProblem> CreateIdempotent(ParsedStatement statement)
    {
        if (statement.Definition is not { } d)
        {
            yield break;
        }
        var created = $"CREATE {d.Keyword} {d.DisplayNames}";
        var problem = d switch
        {
            { IsCode: true, OrReplace: false, IfNotExists: true } =>
                $"CREATE {d.Keyword} IF NOT EXISTS {d.DisplayNames} keeps an existing {d.DisplayNames}, so a changed definition never applies; write CREATE OR REPLACE {d.Keyword}.",
            { IsCode: true, OrReplace: false } => $"{created} fails when it already exists; write CREATE OR REPLACE {d.Keyword}.",
            { IsCode: false, OrReplace: true } =>
                $"CREATE OR REPLACE {d.Keyword} {d.DisplayNames} replaces the existing one and what it holds; write CREATE {d.Keyword} IF NOT EXISTS.",
            { IsCode: false, IfNotExists: false } => $"{created} fails when it already exists; write CREATE {d.Keyword} IF NOT EXISTS.",
            _ => null,
        };
        if (problem is not null)
        {
            yield return statement.Problem(0, SchemaRules.CreateIdempotent, problem);
        }
    }

    private static IEnumerable<SchemaProblem> SingleDefinition(ParsedStatement statement, SchemaCatalog catalog)
    {
        foreach (var (name, token) in statement.Definition?.Names ?? [])
        {
            var first = catalog.DefinitionsOf(statement.Definition!.Scope, name)[0];
            // A view holds no data: a later file may redefine it with CREATE OR REPLACE (data-model.md section 5).
            var redefinedCode = statement.Definition is { IsCode: true, OrReplace: true } d && first.Definition!.Kind == d.Kind && first.File != statement.File;
            if (first != statement && !redefinedCode)
            {
                yield return statement.Problem(token, SchemaRules.SingleDefinition,
                    $"{name} is already created at {first.File}:{first.Line}; every object has exactly one definition across all files.");
            }
        }
    }

    private static IEnumerable<SchemaProblem> NoDestructive(ParsedStatement statement)
    {
        if (statement.IsAnyWord(0, "DROP", "TRUNCATE", "DETACH", "DELETE"))
        {
            yield return statement.Problem(0, SchemaRules.NoDestructive,
                $"{statement.Text(0).ToUpperInvariant()} statements lose data or objects; migrations only add and change.");
        }
    }

    private static IEnumerable<SchemaProblem> Alter(ParsedStatement statement, SchemaCatalog catalog)
    {
        var reader = statement.Reader();
        if (!reader.Accept("ALTER", "TABLE"))
        {
            yield break;
        }
        if (reader.Accept("IF", "EXISTS"))
        {
            yield return statement.Problem(2, SchemaRules.AlterIfExists,
                "ALTER TABLE IF EXISTS does nothing when the table is missing, so a wrong name passes unnoticed; alter a table an earlier statement creates, without IF EXISTS.");
        }
        var nameStart = reader.Position;
        if (!reader.AcceptQualifiedName())
        {
            yield break;
        }
        var table = statement.ObjectName(nameStart, reader.Position);
        if (reader.Accept("ON", "CLUSTER"))
        {
            _ = reader.AcceptQualifiedName();
        }
        foreach (var (start, end) in statement.Elements(reader.Position, statement.Count))
        {
            int? column = null;
            if (DestroyingClauses.FirstOrDefault(words => statement.AreWords(start, words)) is { } clause)
            {
                yield return statement.Problem(start, SchemaRules.NoDestructive,
                    $"ALTER TABLE {table} {string.Join(' ', clause)} loses data; migrations only add and change.");
            }
            else if (statement.AreWords(start, "ADD", "COLUMN"))
            {
                var ifNotExists = statement.AreWords(start + 2, "IF", "NOT", "EXISTS");
                if (!ifNotExists)
                {
                    yield return statement.Problem(start, SchemaRules.AddColumn,
                        $"ADD COLUMN {(statement.IsNameToken(start + 2) ? statement.Name(start + 2) + " " : "")}without IF NOT EXISTS fails once the column exists; write ADD COLUMN IF NOT EXISTS.");
                }
                if (!catalog.CreatesTableBefore(table, statement.Ordinal))
                {
                    yield return statement.Problem(start, SchemaRules.AddColumn,
                        $"ADD COLUMN on {table}, which no earlier statement creates; create the table first, or correct its name.");
                }
                column = ifNotExists ? start + 5 : start + 2;
            }
            else if (statement.AreWords(start, "MODIFY", "COLUMN"))
            {
                column = statement.AreWords(start + 2, "IF", "EXISTS") ? start + 5 : start + 2;
            }
            foreach (var problem in column is { } c ? ColumnRules.Check(statement, c, end) : [])
            {
                yield return problem;
            }
        }
    }

    /// <summary>Engine, partitioning and columns of a CREATE TABLE (and of a materialized view's inner table).</summary>
    private static IEnumerable<SchemaProblem> TableLayout(ParsedStatement statement)
    {
        if (statement.Definition is not { Kind: ObjectKind.Table or ObjectKind.MaterializedView } d)
        {
            yield break;
        }
        if (d.EngineToken is { } engine && statement.IsWord(engine, "ReplacingMergeTree")
            && (!statement.IsSymbol(engine + 1, '(') || statement.IsSymbol(engine + 2, ')')))
        {
            yield return statement.Problem(engine, SchemaRules.RmtVersion,
                $"{d.DisplayNames} is a ReplacingMergeTree without a version column, so merges keep whichever row came last, even an older load; write ReplacingMergeTree(_ver) with a _ver UInt64 that grows with every load.");
        }
        var topLevel = statement.TopLevel(d.BodyStart, statement.Count).ToList();
        var partition = topLevel.FindIndex(i => statement.AreWords(i, "PARTITION", "BY"));
        if (partition >= 0)
        {
            var clauseEnd = topLevel.Skip(partition + 1).FirstOrDefault(i => statement.IsAnyWord(i, TableClauses), statement.Count);
            for (var i = topLevel[partition] + 2; i < clauseEnd; i++)
            {
                if (statement.IsCall(i) && NonDeterministicFunctions.Contains(statement.Text(i)))
                {
                    yield return statement.Problem(i, SchemaRules.PartitionDeterministic,
                        $"PARTITION BY of {d.DisplayNames} calls {statement.Text(i)}(), so a row's partition depends on when or where it was written and its versions never meet to be replaced; partition by the row's own values, e.g. toYYYYMM(<business date>) or tuple().");
                }
            }
        }
        var columns = d.Kind == ObjectKind.Table && statement.IsSymbol(d.BodyStart, '(') ? statement.Elements(d.BodyStart + 1, statement.Closing(d.BodyStart)) : [];
        foreach (var problem in columns.SelectMany(c => ColumnRules.Check(statement, c.Start, c.End)))
        {
            yield return problem;
        }
    }
}
