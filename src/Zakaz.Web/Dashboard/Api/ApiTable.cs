using Microsoft.AspNetCore.Http;
using MiniExcelLibs;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>How a page formats a column: dates, text, whole numbers, roubles, plain ratios (ROAS), fractions shown as percent, instants, yes/no.</summary>
internal enum ColumnType
{
    Date,
    Text,
    Int,
    Money,
    Ratio,
    Percent,
    Datetime,
    Bool,
}

internal sealed record ApiColumn(string Key, string Title, ColumnType Type);

/// <summary>Where a paged table's answer sits in the whole: its rows start at <paramref name="Offset"/>.</summary>
internal sealed record TablePage(ulong Total, ulong Offset, uint Limit);

/// <summary>What an export says about itself: its file name (without extension) and the header row of an XLSX (the filters and period in Russian).</summary>
internal sealed record ExportLabel(string FileName, string Caption);

/// <summary>
/// A table endpoint's shape: its columns in order, which its SQL selects under the same names in
/// the same order. JSON is <c>{"columns":[...],"rows":[{...}]}</c>, values as the page formats them
/// (invariant numbers, ISO dates). The exports hold the same rows and columns: CSV as Russian Excel opens
/// it (UTF-8 with a BOM, <c>;</c> between fields, a decimal comma, dates dd.MM.yyyy, instants in Moscow
/// time), XLSX with typed cells under a row that names the filters and period. A <see cref="Paged"/>
/// table's JSON also has <c>"page":{"total","offset","limit"}</c>.
/// </summary>
internal sealed class ApiTable(string name, params ApiColumn[] columns)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>
    /// A table that can grow with the range (days × events): its JSON comes a page at a time, and its
    /// SQL selects one more column after the table's, <see cref="TotalColumn"/>, the count of all its rows
    /// (<c>count() OVER ()</c>), so a page and the total take one query.
    /// </summary>
    public bool Paged { get; init; }

    public const string TotalColumn = "total";

    /// <summary>The table's name, the start of its export's file name.</summary>
    public string Name => name;

    public async Task WriteAsync(HttpContext context, QueryResult result, TableFormat format, TablePage? page = null, ExportLabel? label = null)
    {
        var selected = columns.Length + (Paged ? 1 : 0);
        if (result.Columns.Count != selected)
        {
            throw new InvalidOperationException($"The query of {name} returns {result.Columns.Count} columns; the table has {selected}.");
        }
        var response = context.Response;
        if (format != TableFormat.Json)
        {
            var file = label ?? new ExportLabel(name, "");
            byte[] body;
            if (format == TableFormat.Csv)
            {
                response.ContentType = "text/csv; charset=utf-8";
                // The BOM is how Excel knows the file is UTF-8; without it Cyrillic opens as mojibake.
                body = [.. Encoding.UTF8.Preamble, .. Utf8.GetBytes(Csv(result))];
            }
            else
            {
                response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                body = await XlsxAsync(result, file.Caption, context.RequestAborted);
            }
            response.Headers.ContentDisposition = Attachment($"{file.FileName}.{(format == TableFormat.Csv ? "csv" : "xlsx")}");
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }
        response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = DashboardApi.Json.Encoder }))
        {
            json.WriteStartObject();
            json.WritePropertyName("columns");
            JsonSerializer.Serialize(json, columns.Select(c => new { c.Key, c.Title, Type = c.Type.ToString().ToLowerInvariant() }), DashboardApi.Json);
            json.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Length; i++)
                {
                    json.WritePropertyName(columns[i].Key);
                    WriteValue(json, columns[i].Type, row[i]);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (page is not null)
            {
                json.WritePropertyName("page");
                JsonSerializer.Serialize(json, page, DashboardApi.Json);
            }
            json.WriteEndObject();
        }
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    private static void WriteValue(Utf8JsonWriter json, ColumnType type, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case DateOnly date:
                json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset instant:
                json.WriteStringValue(instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case double number:
                json.WriteNumberValue(number);
                break;
            case float number:
                json.WriteNumberValue(number);
                break;
            case ulong number:
                json.WriteNumberValue(number);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case object when type == ColumnType.Bool:
                json.WriteBooleanValue(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0);
                break;
            default:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>RFC 6266: an ASCII <c>filename</c> for old clients and the real one as RFC 5987 <c>filename*</c>.</summary>
    private static string Attachment(string fileName)
    {
        var ascii = new string(fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    private string Csv(QueryResult result)
    {
        var text = new StringBuilder();
        text.AppendJoin(';', columns.Select(c => Quote(c.Title))).Append("\r\n");
        foreach (var row in result.Rows)
        {
            text.AppendJoin(';', columns.Select((c, i) => Quote(c.Type == ColumnType.Text ? Inert(CsvValue(c.Type, row[i])) : CsvValue(c.Type, row[i])))).Append("\r\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// One field as Russian Excel reads it: numbers without grouping and with a decimal comma, dates
    /// dd.MM.yyyy, instants as Moscow dd.MM.yyyy HH:mm:ss, yes/no as the page shows them.
    /// </summary>
    private static string CsvValue(ColumnType type, object? value) => value switch
    {
        null => "",
        DateOnly date => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
        DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, Moscow).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture),
        bool flag => flag ? "да" : "нет",
        _ when type == ColumnType.Bool => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "да" : "нет",
        double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("0.###############", RussianNumbers),
        IFormattable number => number.ToString(null, RussianNumbers),
        _ => value.ToString() ?? "",
    };

    /// <summary>Invariant digits with a decimal comma and no grouping: what a Russian Excel parses as a number.</summary>
    private static readonly NumberFormatInfo RussianNumbers = NumberFormatInfo.ReadOnly(new NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "" });

    private async Task<byte[]> XlsxAsync(QueryResult result, string caption, CancellationToken cancellationToken)
    {
        // Keys are positions: the first row (the caption) and the titles are data rows, not MiniExcel's header.
        var keys = columns.Select((_, i) => $"c{i}").ToArray();
        var rows = new List<IDictionary<string, object?>>
        {
            keys.Select((key, i) => KeyValuePair.Create(key, (object?)(i == 0 ? caption : null))).ToDictionary(),
            keys.Select((key, i) => KeyValuePair.Create(key, (object?)columns[i].Title)).ToDictionary(),
        };
        rows.AddRange(result.Rows.Select(row => keys.Select((key, i) => KeyValuePair.Create(key, Cell(columns[i].Type, row[i]))).ToDictionary()));
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, printHeader: false, sheetName: name, cancellationToken: cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>An XLSX cell's typed value: numbers as numbers, dates and Moscow instants as Excel dates, yes/no as words.</summary>
    private static object? Cell(ColumnType type, object? value) => value switch
    {
        null => null,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset instant => TimeZoneInfo.ConvertTime(instant, Moscow).DateTime,
        bool => CsvValue(type, value),
        _ when type == ColumnType.Bool => CsvValue(type, value),
        string text => text,
        decimal number => number,
        double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        ulong number => (decimal)number,
        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Text that Excel would run as a formula (=, +, -, @ first: OWASP's CSV injection) gets a leading apostrophe, so
    /// a crafted utm_campaign stays text. XLSX cells are written as strings and need nothing.
    /// </summary>
    private static string Inert(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
