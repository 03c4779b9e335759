using System.Text.RegularExpressions;

namespace Zakaz.Storage.Migrations;

/// <summary>Roles, users and grants: chDB has no access management, so the embedded store skips them.</summary>
public static partial class AccessControlStatements
{
    public static bool SkippedOn(IClickHouseStore store, string statement) =>
        store.Kind == StoreKind.Embedded && Pattern().IsMatch(StripLeadingComments(statement));

    private static string StripLeadingComments(string statement)
    {
        var text = statement.TrimStart();
        while (text.StartsWith("--", StringComparison.Ordinal) || text.StartsWith("/*", StringComparison.Ordinal))
        {
            var end = text.StartsWith("--", StringComparison.Ordinal)
                ? SqlText.SkipLineComment(text, 0)
                : SqlText.SkipBlockComment(text, 0);
            text = text[end..].TrimStart();
        }
        return text;
    }

    [GeneratedRegex(@"^(GRANT|REVOKE|(CREATE|ALTER|DROP)\s+(ROLE|USER|ROW\s+POLICY|QUOTA|SETTINGS\s+PROFILE)|SET\s+DEFAULT\s+ROLE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
