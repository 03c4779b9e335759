namespace Zakaz.Storage.Migrations.Validation;

/// <summary>
/// Rule semantic: the statements run in order on a scratch store, then every view the files made is selected
/// from (a later change can break a view). A refused statement is reported and the pass goes on, so every
/// independent defect shows in one run; statements failing in its wake are counted on it instead of listed.
/// </summary>
internal static class SemanticPass
{
    public static async Task<(IReadOnlyList<SchemaProblem> Problems, string? Note)> RunAsync(
        IReadOnlyList<ParsedStatement> statements, SchemaCatalog catalog, IClickHouseStore store, CancellationToken cancellationToken)
    {
        var runnable = statements.Where(s => !AccessControlStatements.SkippedOn(store, s.Sql)).ToList();
        var refused = new List<(ParsedStatement Statement, string Message, int FollowOns)>();
        // What refused statements would have made, and the refusal that explains each.
        var missing = new Dictionary<ObjectName, int>();
        var problems = new List<SchemaProblem>();
        // The columns each view had after the last statement of these files that made it (not whatever the store held before).
        var viewColumns = new Dictionary<ObjectName, IReadOnlyList<string>>();
        foreach (var statement in runnable)
        {
            try
            {
                await store.ExecuteAsync(statement.Sql, cancellationToken: cancellationToken);
                problems.AddRange(await LostColumnsAsync(statement, viewColumns, store, cancellationToken));
            }
            catch (ClickHouseException e)
            {
                var cause = MissingNamed(statement, missing);
                if (cause is { } root)
                {
                    refused[root] = refused[root] with { FollowOns = refused[root].FollowOns + 1 };
                }
                else
                {
                    refused.Add((statement, OneLine(e), 0));
                }
                foreach (var (name, _) in statement.Definition?.Names ?? [])
                {
                    missing.TryAdd(name, cause ?? refused.Count - 1);
                }
            }
        }
        var note = runnable.Count == statements.Count ? null
            : $"the semantic pass skipped {statements.Count - runnable.Count} access-control statement(s) (roles, users, grants): the embedded engine has no access management; rule {SchemaRules.GrantTarget} still checks their names.";
        problems.InsertRange(0, refused.Select(r => r.Statement.Problem(0, SchemaRules.Semantic, r.FollowOns == 0
                ? r.Message
                : $"{r.Message} ({r.FollowOns} later statement(s) that use what this one makes failed with it and are not listed)")));
        problems.AddRange(await BrokenViewsAsync(catalog, store, cancellationToken));
        return (problems, note);
    }

    /// <summary>A problem when <paramref name="statement"/> redefined a view of an earlier statement without a column it had.</summary>
    private static async Task<IEnumerable<SchemaProblem>> LostColumnsAsync(
        ParsedStatement statement, Dictionary<ObjectName, IReadOnlyList<string>> viewColumns, IClickHouseStore store, CancellationToken cancellationToken)
    {
        if (statement.Definition is not { Kind: ObjectKind.View, Names: [var (view, _)] } || view.Database is null)
        {
            return [];
        }
        var result = await store.QueryAsync(
            "SELECT name FROM system.columns WHERE database = {database:String} AND table = {name:String} ORDER BY position",
            new QueryParameters().Add("database", view.Database).Add("name", view.Name),
            cancellationToken: cancellationToken);
        var columns = result.Rows.Select(r => (string)r[0]!).ToList();
        var lost = viewColumns.TryGetValue(view, out var earlier) ? earlier.Except(columns, StringComparer.Ordinal).ToList() : [];
        viewColumns[view] = columns;
        return lost.Count == 0
            ? []
            : [statement.Problem(0, SchemaRules.ViewColumns,
                $"view {view} is redefined without column(s) {string.Join(", ", lost)} that an earlier file gave it; BI datasets read them: keep them (add new columns beside them)")];
    }

    /// <summary>The refusal behind the first name in <paramref name="statement"/> a refused statement would have made (or its database).</summary>
    private static int? MissingNamed(ParsedStatement statement, Dictionary<ObjectName, int> missing)
    {
        for (var i = 0; i < statement.Count && missing.Count > 0; i++)
        {
            if (statement.ObjectNameAt(i) is not ({ } name, _))
            {
                continue;
            }
            if (missing.TryGetValue(name, out var cause)
                || (name.Database is { } database && missing.TryGetValue(new ObjectName(null, database), out cause)))
            {
                return cause;
            }
        }
        return null;
    }

    private static async Task<IReadOnlyList<SchemaProblem>> BrokenViewsAsync(SchemaCatalog catalog, IClickHouseStore store, CancellationToken cancellationToken)
    {
        var views = await store.QueryAsync(
            "SELECT database, name FROM system.tables WHERE engine = 'View' AND has({databases:Array(String)}, database) ORDER BY database, name",
            new QueryParameters().Add("databases", catalog.Databases.ToArray()),
            cancellationToken: cancellationToken);
        var problems = new List<SchemaProblem>();
        foreach (var row in views.Rows)
        {
            var view = new ObjectName((string)row[0]!, (string)row[1]!);
            // A view the files do not define belongs to someone else sharing the store.
            if (catalog.DefinitionsOf(NameScope.Object, view) is not [.., var definition])
            {
                continue;
            }
            try
            {
                await store.ExecuteAsync($"SELECT * FROM {StoreIdentifiers.Quote(view.Database!)}.{StoreIdentifiers.Quote(view.Name)} LIMIT 0", cancellationToken: cancellationToken);
            }
            catch (ClickHouseException e)
            {
                problems.Add(definition.Problem(0, SchemaRules.Semantic, $"view {view} cannot be read: {OneLine(e)}"));
            }
        }
        return problems;
    }

    private static string OneLine(ClickHouseException e) => e.Message.ReplaceLineEndings(" ");
}
