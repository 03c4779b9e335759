namespace Zakaz.Storage.Migrations.Validation;

/// <summary>
/// Rule final-read: a view must not read a ReplacingMergeTree without FINAL, as every version of a row counts
/// until merges run. A heuristic on tokens: a table is read where its name follows FROM or JOIN, collapsed when
/// FINAL follows it or its alias (<c>t FINAL</c>, <c>t AS x FINAL</c>, <c>t x FINAL</c>); a view calling argMax
/// or argMaxIf collapses versions by hand. A materialized view sees only the rows being inserted, where FINAL
/// means nothing: it passes when it keeps maxima and counts nothing, since a row's versions then weigh once.
/// Other views, table functions and dictionaries are not followed.
/// </summary>
internal static class ViewReads
{
    private static readonly string[] Maxima = ["max", "maxIf", "maxOrNull", "argMax", "argMaxIf", "argMaxState", "argMaxStateIf"];

    private static readonly string[] Counting = ["sum", "sumIf", "count", "countIf", "avg", "avgIf", "uniq", "uniqExact", "groupArray", "any", "anyLast"];

    public static IEnumerable<SchemaProblem> Check(ParsedStatement statement, SchemaCatalog catalog)
    {
        bool Calls(string[] names) => Enumerable.Range(0, statement.Count).Any(i => statement.IsCall(i) && statement.IsAnyWord(i, names));
        if (statement.Definition is not { Kind: ObjectKind.View or ObjectKind.MaterializedView } view
            || Calls(["argMax", "argMaxIf"])
            || (view.Kind == ObjectKind.MaterializedView && Calls(Maxima) && !Calls(Counting)))
        {
            yield break;
        }
        for (var i = view.BodyStart; i < statement.Count; i++)
        {
            if (!statement.IsAnyWord(i, "FROM", "JOIN") || statement.ObjectNameAt(i + 1) is not (var table, var end) || !catalog.IsReplacingMergeTree(table))
            {
                continue;
            }
            var final = statement.IsWord(end, "FINAL")
                || (statement.IsWord(end, "AS") && statement.IsWord(end + 2, "FINAL"))
                || (statement.IsNameToken(end) && statement.IsWord(end + 1, "FINAL"));
            if (!final)
            {
                yield return statement.Problem(i + 1, SchemaRules.FinalRead,
                    $"view {view.DisplayNames} reads {table}, a ReplacingMergeTree, without FINAL, so every version of a row counts until merges run; write {table} FINAL (or {table} AS x FINAL), or pick versions with argMax.");
            }
        }
    }
}
