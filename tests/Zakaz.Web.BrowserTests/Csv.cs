namespace Zakaz.Web.BrowserTests;

/// <summary>Reads the API's CSV (RFC 4180: quoted fields, doubled quotes) to compare it with a shown table.</summary>
internal static class Csv
{
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
            else if (c == ',')
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
    /// A table cell's raw JSON value against a CSV field: numbers compare as numbers (JSON drops trailing
    /// zeros that CSV may keep), booleans case-insensitively, everything else exactly.
    /// </summary>
    public static bool SameValue(string shown, string csv)
    {
        const NumberStyles number = NumberStyles.Float;
        if (decimal.TryParse(shown, number, CultureInfo.InvariantCulture, out var left)
            && decimal.TryParse(csv, number, CultureInfo.InvariantCulture, out var right))
        {
            return left == right;
        }

        return string.Equals(shown, csv, bool.TryParse(shown, out _) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>The row count a pager shows ("Строки 1–200 из 6 012"): the digits after "из".</summary>
    public static int TotalOfPager(string? text)
    {
        var total = (text ?? "")[((text ?? "").LastIndexOf("из", StringComparison.Ordinal) + 2)..];
        return int.Parse(new string(total.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
    }
}
