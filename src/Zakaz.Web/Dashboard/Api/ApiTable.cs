using Microsoft.AspNetCore.Http;
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

/// <summary>
/// A table endpoint's shape: its columns in order, which its SQL selects under the same names in
/// the same order. JSON is <c>{"columns":[...],"rows":[{...}]}</c>; CSV the same rows with the
/// titles as header, values as JSON has them (invariant numbers, ISO dates), so the export is what
/// the page shows before formatting. A <see cref="Paged"/> table's JSON also has
/// <c>"page":{"total","offset","limit"}</c>.
/// </summary>
internal sealed class ApiTable(string name, params ApiColumn[] columns)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// A table that can grow with the range (days × events): its JSON comes a page at a time, and its
    /// SQL selects one more column after the table's, <see cref="TotalColumn"/>, the count of all its rows
    /// (<c>count() OVER ()</c>), so a page and the total take one query.
    /// </summary>
    public bool Paged { get; init; }

    public const string TotalColumn = "total";

    public async Task WriteAsync(HttpContext context, QueryResult result, bool csv, TablePage? page = null)
    {
        var selected = columns.Length + (Paged ? 1 : 0);
        if (result.Columns.Count != selected)
        {
            throw new InvalidOperationException($"The query of {name} returns {result.Columns.Count} columns; the table has {selected}.");
        }
        var response = context.Response;
        if (csv)
        {
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers.ContentDisposition = $"attachment; filename={name}.csv";
            await response.WriteAsync(Csv(result), Utf8, context.RequestAborted);
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
            case DateOnly or DateTimeOffset:
                json.WriteStringValue(CsvValue(type, value));
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

    private string Csv(QueryResult result)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Title))).Append("\r\n");
        foreach (var row in result.Rows)
        {
            text.AppendJoin(',', columns.Select((c, i) => Quote(CsvValue(c.Type, row[i])))).Append("\r\n");
        }
        return text.ToString();
    }

    private static string CsvValue(ColumnType type, object? value) => value switch
    {
        null => "",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => Instant(instant),
        bool flag => flag ? "true" : "false",
        _ when type == ColumnType.Bool => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Instant(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
