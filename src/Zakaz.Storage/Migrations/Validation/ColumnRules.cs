using System.Text.RegularExpressions;

namespace Zakaz.Storage.Migrations.Validation;

/// <summary>Column types in CREATE TABLE column lists and ADD COLUMN: money is Decimal, times name their zone.</summary>
internal static partial class ColumnRules
{
    /// <summary>Parts of a snake_case column name that make it money (<c>plan_revenue</c>, <c>refunded_amount</c>, <c>ad_spend</c>...).</summary>
    private static readonly HashSet<string> MoneyWords = new(StringComparer.Ordinal)
    {
        "revenue", "price", "spend", "cost", "amount", "refund", "refunded", "budget", "fee", "cpo", "cpc", "cpm", "cpt",
    };

    /// <summary>Money in a name of two parts, each of which alone is not money.</summary>
    private const string MoneyPhrase = "_discount_value_";

    /// <summary>
    /// Checks one column definition in tokens [start, end): <c>name Type [DEFAULT ...] [COMMENT ...]</c>.
    /// Index, projection and constraint lines, and columns whose type is left to their DEFAULT, have no type to check.
    /// </summary>
    public static IEnumerable<SchemaProblem> Check(ParsedStatement statement, int start, int end)
    {
        var typeStart = start + 1;
        if (!statement.IsNameToken(start) || statement.IsAnyWord(start, "INDEX", "PROJECTION", "CONSTRAINT", "PRIMARY")
            || typeStart >= end || statement.Tokens[typeStart].Kind != SqlTokenKind.Word
            || statement.IsAnyWord(typeStart, "DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL"))
        {
            yield break;
        }
        var typeEnd = statement.IsSymbol(typeStart + 1, '(') ? statement.Closing(typeStart + 1) + 1 : typeStart + 1;
        var column = statement.Name(start);
        var type = statement.Sql[statement.Tokens[typeStart].Start..statement.Tokens[Math.Min(typeEnd, statement.Count) - 1].End];
        for (var i = typeStart; i < typeEnd; i++)
        {
            if (LacksZone(statement, i))
            {
                yield return statement.Problem(i, SchemaRules.DateTimeZone,
                    $"column {column} is {type} without a time zone, so its value depends on the server's zone; write DateTime('Europe/Moscow') for business times or DateTime('UTC') for load times.");
            }
        }
        if (IsMoney(column) && IsNonDecimalNumber(statement, typeStart))
        {
            yield return statement.Problem(typeStart, SchemaRules.MoneyDecimal,
                $"column {column} is {type}, but money is Decimal(18, 2) roubles (never Float, never integer kopecks); write Decimal(18, 2).");
        }
    }

    private static bool IsMoney(string column)
    {
        var name = column.ToLowerInvariant();
        return name.Split('_').Any(MoneyWords.Contains) || ("_" + name + "_").Contains(MoneyPhrase, StringComparison.Ordinal);
    }

    /// <summary>The type after Nullable(...) and LowCardinality(...) wrappers is a float or an integer.</summary>
    private static bool IsNonDecimalNumber(ParsedStatement statement, int type)
    {
        while (statement.IsAnyWord(type, "Nullable", "LowCardinality") && statement.IsSymbol(type + 1, '('))
        {
            type += 2;
        }
        return type < statement.Count && NonDecimalNumber().IsMatch(statement.Text(type));
    }

    /// <summary><c>DateTime</c> needs <c>('zone')</c>, <c>DateTime64</c> needs <c>(precision, 'zone')</c>.</summary>
    private static bool LacksZone(ParsedStatement statement, int i) =>
        statement.IsAnyWord(i, "DateTime", "DateTime32") ? !(statement.IsSymbol(i + 1, '(') && statement.IsString(i + 2))
        : statement.IsWord(i, "DateTime64")
            && (!statement.IsSymbol(i + 1, '(') || !Enumerable.Range(i + 2, Math.Max(0, statement.Closing(i + 1) - i - 2)).Any(statement.IsString));

    [GeneratedRegex("^(U?Int[0-9]*|B?Float[0-9]*|Double|Real|Integer|BigInt|SmallInt|TinyInt|MediumInt)$", RegexOptions.IgnoreCase)]
    private static partial Regex NonDecimalNumber();
}
