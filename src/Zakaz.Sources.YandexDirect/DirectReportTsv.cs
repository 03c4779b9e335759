namespace Zakaz.Sources.YandexDirect;

/// <summary>
/// Reads a report's TSV body (spec §2, "TSV body") defensively: columns found by the names of the field-name line, in any
/// order; a report-name line before it and a "Total rows" line after the rows skipped even when the skip headers were sent;
/// the final newline is not a row; <c>--</c> is 0 and counted; an empty ad group id is 0; money in micros divided exactly.
/// </summary>
internal static class DirectReportTsv
{
    public static readonly string[] Fields = ["Date", "CampaignId", "CampaignName", "AdGroupId", "AdGroupName", "AdId", "Impressions", "Clicks", "Cost"];

    private const string Missing = "--";

    /// <exception cref="FormatException">The body does not have the documented shape; the message says where.</exception>
    public static (List<DirectAdDay> Rows, int MissingValues) Parse(string body, DateOnly from, DateOnly to)
    {
        var lines = body.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var header = lines.FindIndex(line => Fields.All(line.Split('\t').Contains));
        if (header < 0)
        {
            throw new FormatException($"no field-name line with {string.Join(", ", Fields)} in the first {Math.Min(lines.Count, 3)} line(s)");
        }
        var names = lines[header].Split('\t');
        var column = Fields.ToDictionary(field => field, field => Array.IndexOf(names, field));
        var rows = new List<DirectAdDay>();
        var missing = 0;
        var last = lines.FindLastIndex(line => line.Length > 0);
        for (var i = header + 1; i <= last; i++)
        {
            var cells = lines[i].Split('\t');
            if (lines[i].Length == 0 || (i == last && cells.Length == 1 && IsSummary(lines[i])))
            {
                continue;
            }
            if (cells.Length != names.Length)
            {
                throw new FormatException($"line {i + 1} has {cells.Length} cell(s), the field-name line {names.Length}");
            }
            string Cell(string field) => cells[column[field]];
            long Count(string field)
            {
                var text = Cell(field);
                if (text == Missing)
                {
                    missing++;
                    return 0;
                }
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"line {i + 1}: {field} '{text}' is not a whole number");
            }
            long OptionalId(string field) => Cell(field) is "" or Missing ? 0 : Count(field);
            var dateText = Cell("Date");
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"line {i + 1}: Date '{dateText}' is not yyyy-MM-dd");
            }
            if (date < from || date > to)
            {
                throw new FormatException($"line {i + 1}: Date {date:yyyy-MM-dd} is outside the report's period");
            }
            // Micros (returnMoneyInMicros not sent): an integer; decimal division is exact, 1234567890000 → 1234567.89.
            var cost = Count("Cost") / 1_000_000m;
            rows.Add(new DirectAdDay(date, Count("CampaignId"), Cell("CampaignName"), OptionalId("AdGroupId"), Cell("AdGroupName"),
                OptionalId("AdId"), Count("Impressions"), Count("Clicks"), cost));
        }
        return (rows, missing);
    }

    /// <summary>The summary line: "Total rows: N" (or its Russian wording): text and a number, one cell.</summary>
    private static bool IsSummary(string line) => line.Contains(':', StringComparison.Ordinal) && char.IsDigit(line.TrimEnd()[^1]);
}
