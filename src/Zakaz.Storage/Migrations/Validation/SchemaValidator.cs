namespace Zakaz.Storage.Migrations.Validation;

/// <summary>Checks migration files against the schema rules (data-model.md sections 2 and 5): a static pass, then an optional semantic one.</summary>
public static class SchemaValidator
{
    /// <param name="files">The files in the order they apply.</param>
    /// <param name="semanticStore">
    /// A scratch store the statements run on, or null to skip that pass; the caller gives it, as chDB allows one data
    /// directory per process. Its other contents must not share the files' database names.
    /// </param>
    public static async Task<SchemaValidation> ValidateAsync(IReadOnlyList<SqlFile> files, IClickHouseStore? semanticStore, CancellationToken cancellationToken = default)
    {
        var problems = new List<SchemaProblem>();
        var statements = new List<ParsedStatement>();
        foreach (var file in files)
        {
            var text = Migration.ReadText(file.Content);
            var split = SqlStatementSplitter.Split(text);
            problems.AddRange(FileChecks.Check(file, text, split.Count));
            foreach (var statement in split)
            {
                statements.Add(new ParsedStatement(file.Name, statement, statements.Count));
            }
        }
        problems.AddRange(FileChecks.VersionClashes(files));
        var catalog = new SchemaCatalog(statements);
        problems.AddRange(statements.SelectMany(s => StatementRules.Check(s, catalog)));

        string[] notes = [];
        if (semanticStore is not null)
        {
            var (semantic, note) = await SemanticPass.RunAsync(statements, catalog, semanticStore, cancellationToken);
            problems.AddRange(semantic);
            notes = note is null ? [] : [note];
        }
        var fileOrder = files.Select(f => f.Name).ToList();
        return new SchemaValidation(files.Count, statements.Count, problems.OrderBy(p => fileOrder.IndexOf(p.File)).ThenBy(p => p.Line).ToArray(), notes);
    }
}
