using System.Runtime.InteropServices;

namespace Zakaz.Storage.Migrations.Validation;

/// <summary>Every object the files create and which statements create it, so rules can judge a statement against the whole set.</summary>
internal sealed class SchemaCatalog
{
    private readonly Dictionary<(NameScope Scope, ObjectName Name), List<ParsedStatement>> _definitions = [];

    public SchemaCatalog(IEnumerable<ParsedStatement> statements)
    {
        foreach (var statement in statements)
        {
            foreach (var (name, _) in statement.Definition?.Names ?? [])
            {
                var key = (statement.Definition!.Scope, name);
                (CollectionsMarshal.GetValueRefOrAddDefault(_definitions, key, out _) ??= []).Add(statement);
            }
        }
    }

    /// <summary>The databases the files create: the semantic pass looks for their views.</summary>
    public IEnumerable<string> Databases => _definitions.Keys.Where(k => k.Scope == NameScope.Database).Select(k => k.Name.Name);

    public IReadOnlyList<ParsedStatement> DefinitionsOf(NameScope scope, ObjectName name) => _definitions.GetValueOrDefault((scope, name)) ?? [];

    public bool Defines(NameScope scope, ObjectName name) => _definitions.ContainsKey((scope, name));

    public bool CreatesTableBefore(ObjectName table, int ordinal) =>
        DefinitionsOf(NameScope.Object, table).Any(s => s.Ordinal < ordinal && s.Definition!.Kind == ObjectKind.Table);

    /// <summary>A table whose engine keeps several versions of a row until merges (including the Replicated variant).</summary>
    public bool IsReplacingMergeTree(ObjectName table) =>
        DefinitionsOf(NameScope.Object, table).Any(s => s.Definition is { Kind: ObjectKind.Table, EngineToken: { } engine }
            && engine < s.Count && s.Text(engine).EndsWith("ReplacingMergeTree", StringComparison.Ordinal));
}
