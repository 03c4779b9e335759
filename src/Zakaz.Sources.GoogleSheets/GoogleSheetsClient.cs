using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Zakaz.Sources.GoogleSheets;

/// <summary>The cells of a sheet range as text, row by row; <see cref="FirstRow"/> is the sheet row of the first.</summary>
public sealed record SheetRange(string Range, int FirstRow, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// Reads Google Sheets two ways: the CSV export of a link-shared sheet (no credentials), or the
/// Sheets API v4 <c>values</c> of a range with a service account's access token (requested once
/// per client). Failures are <see cref="GoogleSheetsException"/>s that say what to change.
/// </summary>
/// <param name="http">The client of <see cref="GoogleSheetsSource"/>, with the shared resilience pipeline.</param>
public sealed partial class GoogleSheetsClient(HttpClient http, Uri apiUrl, ServiceAccountKey? key = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private string? _accessToken;

    /// <summary>The CSV text of a link-shared sheet's export URL; <paramref name="setting"/> names where the URL came from.</summary>
    public async Task<string> ExportCsvAsync(Uri url, string setting, CancellationToken cancellationToken = default)
    {
        using var response = await GoogleSheetsSource.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, url), $"The sheet at {url.GetLeftPart(UriPartial.Path)}", cancellationToken);
        var status = (int)response.StatusCode;
        // A sheet that is not shared by link answers with Google's sign-in page, not with CSV.
        var isPage = response.Content.Headers.ContentType?.MediaType == "text/html";
        var problem = status is 401 or 403 || (response.IsSuccessStatusCode && isPage)
            ? $"is not shared by link (HTTP {status}{(isPage ? ", a sign-in page" : "")}): share it as 'Anyone with the link can view', " +
                $"or read it through the API with GOOGLE_SHEETS_SPREADSHEET_ID and a service account instead of {setting}."
            : status == 404 ? $"does not exist (HTTP 404): check the spreadsheet id and gid in {setting}."
            : !response.IsSuccessStatusCode ? $"answered HTTP {status}: try again later, or check {setting}."
            : null;
        return problem is null
            ? await response.Content.ReadAsStringAsync(cancellationToken)
            : throw new GoogleSheetsException($"The sheet at {url.GetLeftPart(UriPartial.Path)} {problem}", status);
    }

    /// <summary>The formatted values of <paramref name="range"/> (a tab name or <c>Tab!A1:E</c>) through the Sheets API v4.</summary>
    public async Task<SheetRange> ValuesAsync(string spreadsheetId, string range, CancellationToken cancellationToken = default)
    {
        var account = key ?? throw new GoogleSheetsException("Reading a spreadsheet through the API needs a service account: set GOOGLE_SERVICE_ACCOUNT_KEY_FILE.");
        _accessToken ??= await ServiceAccountToken.RequestAsync(http, account, _time.GetUtcNow(), cancellationToken);
        var url = new Uri(apiUrl, $"v4/spreadsheets/{Uri.EscapeDataString(spreadsheetId)}/values/{Uri.EscapeDataString(range)}");
        using var response = await GoogleSheetsSource.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, url)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", _accessToken) },
        }, $"The Sheets API at {apiUrl}", cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var reason = await ServiceAccountToken.ErrorDescriptionAsync(response, cancellationToken);
            throw new GoogleSheetsException(status switch
            {
                401 => $"The Sheets API rejected the service account's access token (HTTP 401): check the key in GOOGLE_SERVICE_ACCOUNT_KEY_FILE.",
                403 => $"The service account {account.ClientEmail} may not read spreadsheet {spreadsheetId} (HTTP 403): share the spreadsheet with {account.ClientEmail} as a viewer.",
                404 => $"Spreadsheet {spreadsheetId} does not exist (HTTP 404): check GOOGLE_SHEETS_SPREADSHEET_ID.",
                400 => $"The Sheets API cannot read range '{range}' of spreadsheet {spreadsheetId} (HTTP 400{(reason is null ? "" : $": {reason}")}): give a tab name or Tab!A1:E in the range setting.",
                _ => $"The Sheets API answered HTTP {status} for range '{range}' of spreadsheet {spreadsheetId}: try again later.",
            }, status);
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = json.RootElement;
        var answered = root.TryGetProperty("range", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : range;
        IReadOnlyList<IReadOnlyList<string>> rows = root.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Select(row => row.EnumerateArray().Select(Cell).ToArray()).ToArray()
            : [];
        return new SheetRange(answered, FirstRow(answered), rows);
    }

    private static string Cell(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => cell.GetRawText(),
        _ => "",
    };

    // "'План'!A1:E20" starts on row 1; a range without a row (a whole tab, "A:E") starts on row 1 too.
    private static int FirstRow(string range) =>
        StartRow().Match(range) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"![A-Za-z]*([0-9]+)")]
    private static partial Regex StartRow();
}
