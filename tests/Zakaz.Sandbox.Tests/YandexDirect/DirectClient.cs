using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Sandbox.Tests.YandexDirect;

/// <summary>Calls the sandbox as a Direct client would: POST JSON with the Bearer token, report headers as given.</summary>
public sealed class DirectClient(YandexDirectSandbox sandbox) : IDisposable
{
    /// <summary>Direct's names are PascalCase; the web defaults would camel-case them.</summary>
    private static readonly JsonSerializerOptions AsWritten = new();

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static readonly DateTimeOffset Anchor = new(2025, 12, 1, 12, 0, 0, TimeSpan.FromHours(3));

    public static YandexDirectSandboxOptions Options { get; } = new()
    {
        Seed = 42,
        Orders = 2_000,
        Anchor = Anchor,
        Token = "y0_test-token",
        RetryInSeconds = [0],
    };

    public YandexDirectSandbox Sandbox { get; } = sandbox;

    public async Task<HttpResponseMessage> PostAsync(string service, object body, string? token = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Sandbox.BaseUrl, service)) { Content = JsonContent.Create(body, options: AsWritten) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Sandbox.Token);
        request.Headers.AcceptLanguage.ParseAdd("ru");
        foreach ((string name, string value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await _http.SendAsync(request);
    }

    /// <summary>An object service's <c>result</c>, failing the test on an error answer.</summary>
    public async Task<JsonElement> GetAsync(string service, object parameters, IDictionary<string, string>? headers = null)
    {
        using HttpResponseMessage response = await PostAsync(service, new { method = "get", @params = parameters }, headers: headers);
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.OK && body.TryGetProperty("result", out _), $"{service}: {(int)response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    /// <summary>The <c>error</c> object of an answer, which must be one.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.TryGetProperty("error", out JsonElement error), body.ToString());
        Assert.Equal(response.Headers.GetValues("RequestId").Single(), error.GetProperty("request_id").GetString());
        return error;
    }

    public Task<HttpResponseMessage> ReportAsync(object definition, IDictionary<string, string>? headers = null) =>
        PostAsync("reports", new { @params = definition }, headers: headers);

    /// <summary>A report until it is ready (201, 202 … 200, as Direct's offline mode answers); its TSV text.</summary>
    public async Task<string> ReadyReportAsync(object definition, IDictionary<string, string>? headers = null)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using HttpResponseMessage response = await ReportAsync(definition, headers);
            string text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return text;
            }
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
        }
        throw new InvalidOperationException("The report never became ready.");
    }

    /// <summary>Every row of the sandbox's spend days, read online in periods Direct builds in time.</summary>
    public async Task<List<Dictionary<string, string>>> AllRowsAsync(string name)
    {
        var rows = new List<Dictionary<string, string>>();
        (DateOnly first, DateOnly last) = Sandbox.SpendDays;
        for (DateOnly from = first; from <= last; from = from.AddDays(92))
        {
            DateOnly to = from.AddDays(91) < last ? from.AddDays(91) : last;
            rows.AddRange(Rows(await ReadyReportAsync(Definition($"{name}-{Day(from)}", from, to), new Dictionary<string, string> { ["processingMode"] = "online" })));
        }
        return rows;
    }

    /// <summary>A day × ad report definition of the kind a spend loader sends.</summary>
    public static Dictionary<string, object> Definition(string name, DateOnly from, DateOnly to, string includeVat = "YES", string[]? fields = null) => new()
    {
        ["SelectionCriteria"] = new { DateFrom = Day(from), DateTo = Day(to) },
        ["FieldNames"] = fields ?? ["Date", "CampaignId", "CampaignName", "AdGroupId", "AdId", "Impressions", "Clicks", "Cost"],
        ["ReportName"] = name,
        ["ReportType"] = "CUSTOM_REPORT",
        ["DateRangeType"] = "CUSTOM_DATE",
        ["Format"] = "TSV",
        ["IncludeVAT"] = includeVat,
    };

    /// <summary>Rows of a report with every header and summary, by column name.</summary>
    public static List<Dictionary<string, string>> Rows(string tsv)
    {
        Assert.EndsWith("\n", tsv, StringComparison.Ordinal);
        string[] lines = tsv[..^1].Split('\n');
        string[] columns = lines[1].Split('\t');
        Assert.Equal($"Total rows: {lines.Length - 3}", lines[^1]);
        return [.. lines[2..^1].Select(line => columns.Zip(line.Split('\t')).ToDictionary(p => p.First, p => p.Second))];
    }

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
