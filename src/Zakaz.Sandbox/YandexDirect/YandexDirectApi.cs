using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox.YandexDirect;

/// <summary>
/// The Direct API v5 services a spend loader uses, under <c>/json/v5/</c>: <c>campaigns</c>, <c>adgroups</c> and <c>ads</c>
/// (method <c>get</c>: only the requested fields, every state unless filtered, <c>Page</c> and <c>LimitedBy</c>, the
/// <c>Units</c> header) and <c>reports</c> (online and offline modes, TSV). Every answer carries <c>RequestId</c>.
/// Object services answer errors with HTTP 200 and an <c>error</c> object, as Direct's JSON API does (spec §4); the
/// report service answers them with 400, or 500 and 502 for failures while building.
/// </summary>
internal sealed class YandexDirectApi(DirectAccount account, YandexDirectFaults faults, YandexDirectSandboxOptions options, string token, TimeProvider clock)
{
    public const string BasePath = "/json/v5/";
    private const string Reports = "reports";
    private const int DailyUnits = 64_000;
    private static readonly int[] DefaultRetryIn = [1, 2, 1];

    private static readonly Dictionary<string, ObjectService> ObjectServices = new(StringComparer.Ordinal)
    {
        ["campaigns"] = new("Campaigns", ["Ids", "States", "Types"], [],
            ["Id", "Name", "State", "Status", "Type", "StartDate", "Currency", "StatusPayment"]),
        ["adgroups"] = new("AdGroups", ["Ids", "CampaignIds", "Types"], ["Ids", "CampaignIds"],
            ["Id", "Name", "CampaignId", "Status", "Type", "TrackingParams", "RegionIds"]),
        ["ads"] = new("Ads", ["Ids", "CampaignIds", "AdGroupIds", "States", "Types"], ["Ids", "CampaignIds", "AdGroupIds"],
            ["Id", "AdGroupId", "CampaignId", "State", "Status", "Type"]),
    };

    /// <summary>The type-specific structures and their fields; the request names them in <c>{Structure}FieldNames</c>.</summary>
    private static readonly Dictionary<string, string[]> StructureFields = new(StringComparer.Ordinal)
    {
        ["TextCampaign"] = ["TrackingParams"],
        ["UnifiedCampaign"] = ["TrackingParams"],
        ["TextAd"] = ["Href", "Title", "Title2", "Text", "Mobile"],
        ["TextImageAd"] = ["Href", "AdImageHash"],
        ["MobileAppAd"] = ["Title", "Text", "TrackingUrl", "Action"],
    };

    private readonly Lock _gate = new();
    private readonly List<string> _reportNames = [];
    private readonly OfflineReports _offline = new(options.MaxQueuedReports, options.OfflinePolls, clock);
    private readonly IReadOnlyList<int> _retryIn = options.RetryInSeconds is { Count: > 0 } retryIn ? retryIn : DefaultRetryIn;
    private long _requestId = 8_695_244_274_068_608_000;
    private int _reportRequests;
    private int _unitsSpent;

    public int ReportRequests => Volatile.Read(ref _reportRequests);

    public IReadOnlyList<string> ReportNames => _gate.Locked(() => _reportNames.ToList());

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["RequestId"] = Interlocked.Increment(ref _requestId).ToString(CultureInfo.InvariantCulture);
        string path = context.Request.Path.Value ?? "";
        string service = path.StartsWith(BasePath, StringComparison.Ordinal) ? path[BasePath.Length..] : "";
        bool reports = service == Reports;
        if (!reports && !ObjectServices.ContainsKey(service))
        {
            await ErrorAsync(context, 404, 8000, "Invalid request", $"No such service '{path}': {BasePath}reports, campaigns, adgroups or ads (paths are case-sensitive).");
            return;
        }
        if (reports)
        {
            Interlocked.Increment(ref _reportRequests);
        }
        // Object services put errors in a 200 answer; only the body tells.
        int errorStatus = reports ? 400 : 200;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await ErrorAsync(context, 405, 8000, "Invalid request", "The JSON API takes POST only.");
            return;
        }
        if (Bearer(context.Request) != token)
        {
            await ErrorAsync(context, errorStatus, 53, "Authorization error", "Invalid or expired OAuth token: issue a new one at oauth.yandex.ru.");
            return;
        }
        if (options.AgencyLogin is { } agencyLogin && context.Request.Headers["Client-Login"].ToString() is var clientLogin && clientLogin != agencyLogin)
        {
            await ErrorAsync(context, errorStatus, 54, "No rights", clientLogin.Length == 0
                ? $"The token is an agency's: send the header Client-Login with the advertiser's login ({agencyLogin})."
                : $"Client-Login '{clientLogin}' is not a client of this agency (its client is {agencyLogin}).");
            return;
        }
        switch (faults.Arrive(service))
        {
            case DirectFault.NotEnoughPoints:
                await ErrorAsync(context, errorStatus, 152, "Not enough units", "The points for API calls are spent; they are replenished hourly.");
                return;
            case DirectFault.Unavailable:
                await ErrorAsync(context, errorStatus, 52, "Server temporarily unavailable", "Try again later.");
                return;
            case DirectFault.ServerError:
                await ErrorAsync(context, 500, 1000, "Internal server error", "The report could not be built; try again later.");
                return;
            case DirectFault.QueueFull:
                await QueueFullAsync(context);
                return;
        }
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, errorStatus, 8000, "Invalid request", $"The body is not JSON: {e.Message}");
            return;
        }
        using (body)
        {
            await (reports ? ReportAsync(context, body.RootElement) : ObjectsAsync(context, ObjectServices[service], body.RootElement));
        }
    }

    private async Task ObjectsAsync(HttpContext context, ObjectService service, JsonElement body)
    {
        string? method = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("method", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        JsonElement parameters = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("params", out JsonElement p) ? p : default;
        JsonElement criteria = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("SelectionCriteria", out JsonElement c) ? c : default;
        string? problem = method != "get" ? $"Method '{method}' is not served here: only get."
            : parameters.ValueKind != JsonValueKind.Object ? "params is required."
            : criteria.ValueKind != JsonValueKind.Object ? "params.SelectionCriteria is required ({} for all)."
            : service.Required.Length > 0 && !service.Required.Any(name => criteria.TryGetProperty(name, out _)) ? $"SelectionCriteria needs one of {string.Join(", ", service.Required)}."
            : null;
        string[] fields = problem is null ? Names(parameters, "FieldNames", service.Fields, ref problem) : [];
        if (problem is null && fields.Length == 0)
        {
            problem = "FieldNames must list at least one field.";
        }
        var structures = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach ((string structure, string[] allowed) in StructureFields)
        {
            if (problem is null && parameters.TryGetProperty(structure + "FieldNames", out _))
            {
                structures[structure] = Names(parameters, structure + "FieldNames", allowed, ref problem);
            }
        }
        (int limit, int offset) = problem is null ? Page(parameters, ref problem) : (0, 0);
        if (problem is not null)
        {
            await ErrorAsync(context, 200, 8000, "Invalid request", problem);
            return;
        }
        List<DirectObject> matching = [.. Objects(service.Result).Where(o => Selected(o, criteria, service.Criteria))];
        List<DirectObject> page = [.. matching.Skip(offset).Take(Math.Min(limit, options.MaxPageLimit))];
        int cost = 10 + page.Count;
        int spent = Interlocked.Add(ref _unitsSpent, cost);
        context.Response.Headers["Units"] = string.Create(CultureInfo.InvariantCulture, $"{cost}/{Math.Max(0, DailyUnits - spent)}/{DailyUnits}");
        await VkAdsApi.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("result");
            w.WriteStartArray(service.Result);
            foreach (DirectObject item in page)
            {
                w.WriteStartObject();
                foreach (string field in fields)
                {
                    w.WritePropertyName(field);
                    JsonSerializer.Serialize(w, item.Field(field));
                }
                if (structures.TryGetValue(item.Structure, out string[]? structureFields))
                {
                    w.WriteStartObject(item.Structure);
                    foreach (string field in structureFields)
                    {
                        w.WritePropertyName(field);
                        JsonSerializer.Serialize(w, item.StructureField(field));
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            // The number of the last object returned, present only when more remain.
            if (offset + page.Count < matching.Count)
            {
                w.WriteNumber("LimitedBy", offset + page.Count);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private IEnumerable<DirectObject> Objects(string result) => result switch
    {
        "Campaigns" => account.Campaigns.Select(c => new DirectObject(c.Id, c.Id, 0, c.State, c.Type,
            c.Type == "UNIFIED_CAMPAIGN" ? "UnifiedCampaign" : "TextCampaign",
            field => field switch
            {
                "Id" => c.Id,
                "Name" => c.Name,
                "State" => c.State,
                "Status" => "ACCEPTED",
                "Type" => c.Type,
                "StartDate" => c.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "Currency" => "RUB",
                _ => "ALLOWED",
            },
            _ => Nullable(c.TrackingParams))),
        "AdGroups" => account.Groups.Select(g => new DirectObject(g.Id, g.CampaignId, g.Id, "", GroupType(g), "",
            field => field switch
            {
                "Id" => g.Id,
                "Name" => g.Name,
                "CampaignId" => g.CampaignId,
                "Status" => "ACCEPTED",
                "Type" => GroupType(g),
                "TrackingParams" => Nullable(g.TrackingParams),
                _ => new[] { 225 },
            },
            _ => null)),
        _ => account.Ads.Select(a => new DirectObject(a.Id, a.CampaignId, a.AdGroupId, a.State, a.Type, StructureOf(a),
            field => field switch
            {
                "Id" => a.Id,
                "AdGroupId" => a.AdGroupId,
                "CampaignId" => a.CampaignId,
                "State" => a.State,
                "Status" => "ACCEPTED",
                _ => a.Type,
            },
            field => field switch
            {
                "Href" or "TrackingUrl" => a.Link,
                "Title" => a.Title,
                "Title2" => null,
                "Text" => "Билеты без наценки на qtickets.events",
                "Mobile" => "NO",
                "AdImageHash" => "a7c9b3e1f0d24b6e8a5c",
                _ => "DOWNLOAD",
            })),
    };

    private static string StructureOf(DirectAd ad) => ad.Type switch
    {
        DirectAccount.TextAd => "TextAd",
        DirectAccount.TextImageAd => "TextImageAd",
        _ => "MobileAppAd",
    };

    private string GroupType(DirectAdGroup group) =>
        account.CampaignById[group.CampaignId].Type == "UNIFIED_CAMPAIGN" ? "UNIFIED_AD_GROUP" : "TEXT_AD_GROUP";

    private async Task ReportAsync(HttpContext context, JsonElement body)
    {
        ReportDefinition? report = ReportDefinition.Parse(body, out string problem);
        IHeaderDictionary headers = context.Request.Headers;
        string mode = headers["processingMode"].ToString() is { Length: > 0 } given ? given : "auto";
        bool? micros = Flag(headers, "returnMoneyInMicros", true);
        bool? skipReportHeader = Flag(headers, "skipReportHeader", false);
        bool? skipColumnHeader = Flag(headers, "skipColumnHeader", false);
        bool? skipReportSummary = Flag(headers, "skipReportSummary", false);
        if (report is null || mode is not ("auto" or "online" or "offline") ||
            micros is null || skipReportHeader is null || skipColumnHeader is null || skipReportSummary is null)
        {
            await ErrorAsync(context, 400, 8000, "Invalid request", report is null ? problem
                : "processingMode must be auto, online or offline; returnMoneyInMicros and the skip headers true or false.");
            return;
        }
        _gate.Locked(() =>
        {
            if (!_reportNames.Contains(report.Name))
            {
                _reportNames.Add(report.Name);
            }
        });
        if (report.Days > options.MaxReportDays)
        {
            await ErrorAsync(context, 502, 1002, "Operation error", $"Building the report for {report.Days} days took too long: request a shorter period.");
            return;
        }
        var format = new ReportFormat(micros.Value, skipReportHeader.Value, skipColumnHeader.Value, skipReportSummary.Value);
        if (mode == "online" || (mode == "auto" && options.OnlineReports))
        {
            await ServeAsync(context, report.Render(account.Spent(), account, format));
            return;
        }
        var (outcome, poll, inQueue, facts) = _offline.Request(report.Name, body.GetProperty("params"), account.Spent);
        switch (outcome)
        {
            case OfflineOutcome.Queued or OfflineOutcome.Building:
                context.Response.StatusCode = outcome == OfflineOutcome.Queued ? 201 : 202;
                context.Response.Headers["retryIn"] = _retryIn[poll % _retryIn.Count].ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["reportsInQueue"] = inQueue.ToString(CultureInfo.InvariantCulture);
                return;
            case OfflineOutcome.QueueFull:
                await QueueFullAsync(context);
                return;
            case OfflineOutcome.OtherParameters:
                await ErrorAsync(context, 400, 4000, "Invalid request parameters",
                    $"A report named '{report.Name}' already exists with other parameters: give a changed report a new ReportName.");
                return;
            default:
                await ServeAsync(context, report.Render(facts!, account, format));
                return;
        }
    }

    private async Task ServeAsync(HttpContext context, string tsv)
    {
        faults.ReportServed();
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/tab-separated-values; charset=utf-8";
        byte[] bytes = Encoding.UTF8.GetBytes(tsv);
        if (!context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted);
            return;
        }
        response.Headers.ContentEncoding = "gzip";
        await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        await gzip.WriteAsync(bytes, context.RequestAborted);
    }

    private static Task QueueFullAsync(HttpContext context) =>
        ErrorAsync(context, 400, 9000, "Too many reports in the queue", "The offline report queue is full: try again in about 10 seconds.");

    private static Task ErrorAsync(HttpContext context, int status, int code, string text, string detail)
    {
        string requestId = context.Response.Headers["RequestId"].ToString();
        return VkAdsApi.WriteAsync(context, status, w => JsonSerializer.Serialize(w, new
        {
            error = new { request_id = requestId, error_code = code, error_string = text, error_detail = detail },
        }));
    }

    /// <summary>A <c>true</c>/<c>false</c> header, <paramref name="absent"/> when missing, null when it is something else.</summary>
    private static bool? Flag(IHeaderDictionary headers, string name, bool absent) => headers[name].ToString().ToLowerInvariant() switch
    {
        "" => absent,
        "true" => true,
        "false" => false,
        _ => null,
    };

    private static bool Selected(DirectObject item, JsonElement criteria, string[] known)
    {
        foreach (JsonProperty criterion in criteria.EnumerateObject())
        {
            if (!known.Contains(criterion.Name) || criterion.Value.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            bool match = criterion.Name switch
            {
                "Ids" => criterion.Value.EnumerateArray().Any(v => v.TryGetInt64(out long id) && id == item.Id),
                "CampaignIds" => criterion.Value.EnumerateArray().Any(v => v.TryGetInt64(out long id) && id == item.CampaignId),
                "AdGroupIds" => criterion.Value.EnumerateArray().Any(v => v.TryGetInt64(out long id) && id == item.AdGroupId),
                "States" => criterion.Value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == item.State),
                _ => criterion.Value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == item.Type),
            };
            if (!match)
            {
                return false;
            }
        }
        return true;
    }

    private static string[] Names(JsonElement parameters, string list, string[] allowed, ref string? problem)
    {
        if (!parameters.TryGetProperty(list, out JsonElement names) || names.ValueKind != JsonValueKind.Array)
        {
            problem = $"{list} must be an array of field names.";
            return [];
        }
        string[] given = [.. names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "")];
        if (given.FirstOrDefault(n => !allowed.Contains(n)) is { } unknown)
        {
            problem = $"{list}: '{unknown}' is not one of {string.Join(", ", allowed)}.";
        }
        return [.. given.Distinct(StringComparer.Ordinal)];
    }

    private static (int Limit, int Offset) Page(JsonElement parameters, ref string? problem)
    {
        if (!parameters.TryGetProperty("Page", out JsonElement page))
        {
            return (10_000, 0);
        }
        int limit = page.TryGetProperty("Limit", out JsonElement l) && l.TryGetInt32(out int li) ? li : 10_000;
        int offset = page.TryGetProperty("Offset", out JsonElement o) && o.TryGetInt32(out int oi) ? oi : 0;
        if (limit is < 1 or > 10_000 || offset < 0)
        {
            problem = "Page.Limit must be 1 to 10000 and Page.Offset not negative.";
        }
        return (limit, offset);
    }

    private static string? Nullable(string text) => text.Length > 0 ? text : null;

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private sealed record ObjectService(string Result, string[] Criteria, string[] Required, string[] Fields);

    /// <summary>An object as the get methods see it; <paramref name="Structure"/> names its type-specific structure.</summary>
    private sealed record DirectObject(long Id, long CampaignId, long AdGroupId, string State, string Type, string Structure,
        Func<string, object?> Field, Func<string, object?> StructureField);
}
