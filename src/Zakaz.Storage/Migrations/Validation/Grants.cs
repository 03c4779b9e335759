namespace Zakaz.Storage.Migrations.Validation;

/// <summary>Rule grant-target: a grant to a user from a config file fails, and one on a misspelt table protects nothing.</summary>
internal static class Grants
{
    public static IEnumerable<SchemaProblem> Check(ParsedStatement statement, SchemaCatalog catalog)
    {
        var reader = statement.Reader();
        if (!reader.Accept("GRANT"))
        {
            yield break;
        }
        if (reader.Accept("ON", "CLUSTER"))
        {
            _ = reader.AcceptQualifiedName();
        }
        var topLevel = statement.TopLevel(reader.Position, statement.Count).ToList();
        var to = topLevel.FirstOrDefault(i => statement.IsWord(i, "TO"), -1);
        if (to < 0)
        {
            yield break;
        }
        var on = topLevel.FirstOrDefault(i => i < to && statement.IsWord(i, "ON"), -1);
        if (on >= 0)
        {
            foreach (var problem in Target(statement, catalog, on + 1, to))
            {
                yield return problem;
            }
        }
        else
        {
            foreach (var (role, token) in Names(statement, reader.Position, to))
            {
                if (!catalog.Defines(NameScope.Role, role))
                {
                    yield return statement.Problem(token, SchemaRules.GrantTarget, $"GRANT of role {role}: no CREATE ROLE for it in these files.");
                }
            }
        }
        var with = topLevel.FirstOrDefault(i => i > to && statement.IsWord(i, "WITH"), statement.Count);
        foreach (var (grantee, token) in Names(statement, to + 1, with))
        {
            if (!statement.IsWord(token, "CURRENT_USER") && !catalog.Defines(NameScope.Role, grantee) && !catalog.Defines(NameScope.User, grantee))
            {
                yield return statement.Problem(token, SchemaRules.GrantTarget,
                    $"GRANT to {grantee}: no CREATE ROLE or CREATE USER for it in these files (users from server config files cannot be granted to).");
            }
        }
    }

    /// <summary>Checks <c>*</c>, <c>*.*</c>, <c>db.*</c>, <c>db.table</c> or <c>table</c> in tokens [start, end).</summary>
    private static IEnumerable<SchemaProblem> Target(ParsedStatement statement, SchemaCatalog catalog, int start, int end)
    {
        if (end - start == 3 && statement.IsNameToken(start) && statement.IsSymbol(start + 1, '.') && statement.IsSymbol(start + 2, '*'))
        {
            var database = new ObjectName(null, statement.Name(start));
            if (!catalog.Defines(NameScope.Database, database))
            {
                yield return statement.Problem(start, SchemaRules.GrantTarget, $"GRANT on {database}.*: these files create no database {database}.");
            }
        }
        else if (statement.ObjectNameAt(start) is (var table, var nameEnd) && nameEnd == end && !catalog.Defines(NameScope.Object, table))
        {
            yield return statement.Problem(start, SchemaRules.GrantTarget, $"GRANT on {table}: these files create no table, view or dictionary of that name.");
        }
    }

    private static IEnumerable<(ObjectName Name, int Token)> Names(ParsedStatement statement, int start, int end) =>
        statement.Elements(start, end)
            .Where(e => e.End - e.Start == 1 && statement.IsNameToken(e.Start))
            .Select(e => (new ObjectName(null, statement.Name(e.Start)), e.Start));
}
