using Zakaz.Pipeline.Facts;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Sheets;

/// <summary>
/// Cell values as people type them in Russian spreadsheets: <c>1 234,50</c> (space, no-break or
/// narrow no-break space between thousands, comma as the decimal mark), <c>1234.50</c>, an
/// optional ₽; dates as yyyy-MM-dd or dd.MM.yyyy. Each parser returns null and says why.
/// </summary>
public static class SheetValues
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy", "dd.MM.yy"];

    public static decimal? Money(string text, out string? problem)
    {
        var number = Number(text, out problem);
        problem ??= number switch
        {
            < 0 => $"'{text}' is negative",
            { } n when decimal.Round(n, 2) != n => $"'{text}' has more than 2 decimal places (roubles and kopecks)",
            > ColumnRanges.MaxMoney => string.Create(CultureInfo.InvariantCulture, $"'{text}' is more than {ColumnRanges.MaxMoney}"),
            _ => null,
        };
        return problem is null ? number : null;
    }

    public static ulong? Count(string text, out string? problem)
    {
        var number = Number(text, out problem);
        if (number is { } n && (n < 0 || decimal.Truncate(n) != n || n > ulong.MaxValue))
        {
            problem = $"'{text}' is not a whole number of 0 or more";
            return null;
        }
        return (ulong?)number;
    }

    public static ulong? Id(string text, out string? problem)
    {
        var id = Count(text, out problem);
        if (id == 0)
        {
            problem = "'0' is not an id";
            return null;
        }
        return id;
    }

    public static DateOnly? Date(string text, out string? problem)
    {
        var trimmed = text.Trim();
        problem = !DateOnly.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? trimmed.Length == 0 ? "the date is empty" : $"'{text}' is not a date (yyyy-MM-dd or dd.MM.yyyy)"
            : DateRange.Business.Contains(date) ? null
            : $"'{trimmed}' is not a date from {DateRange.Business.From:yyyy-MM-dd} to {DateRange.Business.To:yyyy-MM-dd}";
        return problem is null ? date : null;
    }

    public static decimal? Number(string text, out string? problem)
    {
        problem = null;
        var digits = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '\u202F' && c != '\u00A0' && c != '₽').ToArray());
        if (digits.Length == 0)
        {
            problem = "the value is empty";
            return null;
        }
        var commas = digits.Count(c => c == ',');
        var dots = digits.Count(c => c == '.');
        // The last mark is the decimal one when both appear (1.234,50 or 1,234.50); a lone comma is
        // the Russian decimal mark; several of one kind group thousands.
        if (commas > 0 && dots > 0)
        {
            var decimalMark = digits.LastIndexOf(',') > digits.LastIndexOf('.') ? ',' : '.';
            digits = digits.Replace(decimalMark == ',' ? "." : ",", "", StringComparison.Ordinal).Replace(',', '.');
        }
        else if (commas == 1)
        {
            digits = digits.Replace(',', '.');
        }
        else if (commas > 1 || dots > 1)
        {
            digits = digits.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        }
        if (decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        problem = $"'{text.Trim()}' is not a number";
        return null;
    }
}
