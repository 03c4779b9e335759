using Microsoft.Playwright;
using MiniExcelLibs;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The XLSX download of a card equals its table: a first row naming the period and filters, the column titles,
/// then the same rows with numbers as numbers and dates as dates; its file name carries the filters.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class ExportTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Theory]
    [InlineData("/?range=7d", "/api/sales/daily")]
    [InlineData("/?range=7d", "/api/sales/events")]
    [InlineData("/marketing", "/api/marketing/campaigns")]
    [InlineData("/inventory", "/api/inventory/events")]
    public async Task The_xlsx_export_equals_the_table_under_a_row_naming_the_filters(string path, string api)
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync(path);
        var card = session.Page.Locator("section.card").Filter(new LocatorFilterOptions { Has = session.Page.Locator($"a.xlsx[data-csv='{api}']") });
        // The daily card draws a chart; its table is the CSV's, so the XLSX is compared with the API's JSON instead.
        var shown = await card.Locator("table.data tbody tr").CountAsync() > 0
            ? await card.Locator("table.data tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(row => [...row.cells].map(cell => cell.dataset.value))")
            : null;
        var header = await card.Locator("table.data thead th").CountAsync() > 0
            ? await card.Locator("table.data thead th").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.textContent)")
            : null;
        // Which columns are numbers: a campaign named 70000002 is still text.
        var numeric = header is null ? null
            : await card.Locator("table.data thead th").EvaluateAllAsync<bool[]>("cells => cells.map(cell => cell.classList.contains('num') || /Id$/.test(cell.dataset.key))");

        var download = await session.Page.RunAndWaitForDownloadAsync(() => card.Locator("a.xlsx").ClickAsync());
        // The period the page shows: up to today, or up to yesterday on a page of complete days (Marketing).
        var end = DateOnly.ParseExact(await session.Page.InputValueAsync("input[name=to]"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains(end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), download.SuggestedFilename, StringComparison.Ordinal);
        await using var file = File.OpenRead(await download.PathAsync());
        var rows = file.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(row => row.Values.ToArray()).ToArray();

        Assert.StartsWith("Период: ", rows[0][0] as string, StringComparison.Ordinal);
        Assert.Contains(end.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), rows[0][0] as string, StringComparison.Ordinal);
        Assert.Contains("города: все", rows[0][0] as string, StringComparison.Ordinal);
        if (shown is null || header is null)
        {
            var json = await session.Page.EvaluateAsync<JsonElement>($"fetch('{api}?' + new URLSearchParams({{ from: document.querySelector('input[name=from]').value, to: document.querySelector('input[name=to]').value }})).then(r => r.json())");
            header = json.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("title").GetString()!).ToArray();
            var keys = json.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString()!).ToArray();
            numeric = json.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("type").GetString() is "int" or "money" or "ratio" or "percent").ToArray();
            shown = json.GetProperty("rows").EnumerateArray()
                .Select(row => keys.Select(key => row.GetProperty(key) is { ValueKind: JsonValueKind.Null } ? "" : row.GetProperty(key).ToString()).ToArray()).ToArray();
        }

        Assert.Equal(header, rows[1].Select(cell => cell as string));
        Assert.NotEmpty(shown);
        Assert.Equal(shown.Length, rows.Length - 2);
        for (var row = 0; row < shown.Length; row++)
        {
            for (var column = 0; column < header.Length; column++)
            {
                AssertSameCell(shown[row][column], numeric![column], rows[row + 2][column], $"row {row + 1}, {header[column]}");
            }
        }
        session.AssertNoConsoleErrors();
    }

    /// <summary>A table cell's raw value against the XLSX cell: numbers as numbers, dates as dates, yes/no as words, text as text.</summary>
    private static void AssertSameCell(string shown, bool numeric, object? cell, string where)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (shown.Length == 0)
        {
            Assert.True(cell is null || cell as string == "", $"{where}: table empty, XLSX '{cell}'");
        }
        else if (numeric)
        {
            var number = decimal.Parse(shown, NumberStyles.Float, invariant);
            Assert.True(cell is double or decimal or int or long, $"{where}: '{cell}' ({cell?.GetType().Name}) is not a number cell");
            Assert.Equal((double)number, Convert.ToDouble(cell, invariant), 6);
        }
        else if (DateOnly.TryParseExact(shown, "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date))
        {
            Assert.Equal(date.ToDateTime(TimeOnly.MinValue), Assert.IsType<DateTime>(cell));
        }
        else if (DateTimeOffset.TryParseExact(shown, "yyyy-MM-dd'T'HH:mm:ss'Z'", invariant, DateTimeStyles.AssumeUniversal, out var instant))
        {
            Assert.Equal(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime, Assert.IsType<DateTime>(cell));
        }
        else if (bool.TryParse(shown, out var flag))
        {
            Assert.Equal(flag ? "да" : "нет", cell);
        }
        else
        {
            Assert.Equal(shown, cell as string);
        }
    }
}
