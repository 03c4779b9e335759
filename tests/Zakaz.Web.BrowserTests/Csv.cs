namespace Zakaz.Web.BrowserTests;

/// <summary>
/// Reads the API's CSV as Russian Excel does (RFC 4180 quoting, ';' between fields, a decimal comma, dd.MM.yyyy
/// dates, Moscow times) to compare it with a shown table.
/// </summary>
internal static class Csv
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ';')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    /// <summary>
    /// A table cell's raw JSON value (invariant numbers, ISO dates, UTC instants, true/false) against a CSV field in
    /// Russian Excel's dialect: numbers compare as numbers (JSON drops trailing zeros that CSV may keep), dates as
    /// dates, instants as the Moscow time, booleans as да/нет, everything else exactly.
    /// </summary>
    public static bool SameValue(string shown, string csv)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (decimal.TryParse(shown, NumberStyles.Float, invariant, out var left))
        {
            return decimal.TryParse(csv.Replace(',', '.'), NumberStyles.Float, invariant, out var right) && left == right;
        }
        if (DateOnly.TryParseExact(shown, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date))
        {
            return csv == date.ToString("dd.MM.yyyy", invariant);
        }
        if (DateTimeOffset.TryParseExact(shown, "yyyy-MM-dd'T'HH:mm:ss'Z'", invariant, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return csv == TimeZoneInfo.ConvertTime(instant, Moscow).ToString("dd.MM.yyyy HH:mm:ss", invariant);
        }
        if (bool.TryParse(shown, out var flag))
        {
            return csv == (flag ? "да" : "нет");
        }
        // Text Excel would take for a formula comes with a leading apostrophe.
        return string.Equals(shown, csv, StringComparison.Ordinal)
            || (shown.Length > 0 && "=+-@".Contains(shown[0], StringComparison.Ordinal) && csv == "'" + shown);
    }

    /// <summary>The row count a pager shows ("Строки 1–200 из 6 012"): the digits after "из".</summary>
    public static int TotalOfPager(string? text)
    {
        var total = (text ?? "")[((text ?? "").LastIndexOf("из", StringComparison.Ordinal) + 2)..];
        return int.Parse(new string(total.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
    }
}
