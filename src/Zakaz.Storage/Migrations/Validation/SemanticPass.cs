namespace Zakaz.Storage.Migrations.Validation;

/// <summary>
/// Rule semantic: what only the engine knows. The statements run in order on a scratch store, then
/// every view the files made is selected from, which catches a view left broken by a later change to
/// a table or view it reads. The first statement the engine refuses ends the pass, because every
/// later one would fail in its wake.
/// </summary>
internal static class SemanticPass
{
    public static async Task<(IReadOnlyList<SchemaProblem> Problems, string? Note)> RunAsync(
        IReadOnlyList<ParsedStatement> statements, SchemaCatalog catalog, IClickHouseStore store, CancellationToken cancellationToken)
    {
        var skipped = 0;
        SchemaProblem? refused = null;
        foreach (var statement in statements)
        {
            if (store.Kind == StoreKind.Embedded && AccessControlStatements.Matches(statement.Sql))
            {
                skipped++;
                continue;
            }
            try
            {
                await store.ExecuteAsync(statement.Sql, cancellationToken: cancellationToken);
            }
            catch (ClickHouseException e)
            {
                refused = statement.Problem(0, SchemaRules.Semantic, $"{OneLine(e)} (the semantic pass stops here)");
                break;
            }
        }
        var note = skipped == 0 ? null
            : $"the semantic pass skipped {skipped} access-control statement(s) (roles, users, grants): the embedded engine has no access management; rule {SchemaRules.GrantTarget} still checks their names.";
        return (refused is null ? await BrokenViewsAsync(catalog, store, cancellationToken) : [refused], note);
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
