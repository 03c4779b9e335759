using System.Text.RegularExpressions;

namespace Zakaz.Storage;

/// <summary>
/// Reads the error text of any ClickHouse generation: 18.x ("Code: 47, e.displayText() = DB::Exception: msg, e.what() = DB::Exception"),
/// 20+ ("Code: 47. DB::Exception: msg. (UNKNOWN_IDENTIFIER) (version 24.8.1)") and chDB (the latter, sometimes without the version).
/// </summary>
public static partial class ClickHouseErrorParser
{
    [GeneratedRegex(@"Code:\s*(\d+)[.,]\s*(?:e\.displayText\(\)\s*=\s*)?(?:DB::Exception:\s*)?(.*)", RegexOptions.Singleline)]
    private static partial Regex CodePattern();

    [GeneratedRegex(@",\s*e\.what\(\)\s*=\s*\S+\s*$")]
    private static partial Regex OldWhatSuffix();

    [GeneratedRegex(@"\s*\(version [^\n]*\)\s*$")]
    private static partial Regex VersionSuffix();

    [GeneratedRegex(@"^Received exception(?: from server)?(?: \(version [^)]*\))?:\s*", RegexOptions.Multiline)]
    private static partial Regex ReceivedPrefix();

    /// <summary>Parses an error body; <paramref name="headerCode"/> (X-ClickHouse-Exception-Code) wins when present.</summary>
    public static ClickHouseException Parse(string text, int? headerCode = null, string? queryId = null)
    {
        var body = ReceivedPrefix().Replace(text.Trim(), "");
        var match = CodePattern().Match(body);
        var code = headerCode ?? (match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
        var message = match.Success ? match.Groups[2].Value : body;
        // Keep the first line: newer servers append stack traces on following lines.
        var firstLine = message.Trim().Split('\n', 2)[0].Trim();
        firstLine = VersionSuffix().Replace(OldWhatSuffix().Replace(firstLine, ""), "");
        return new ClickHouseException(code, firstLine.Length == 0 ? body : firstLine, queryId);
    }
}
