using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.YandexDirect;

/// <summary>
/// The Yandex Direct API v5, read-only (spec §1–§4): campaigns, ad groups and ads of every state through the object
/// services' <c>get</c>, paged by <c>LimitedBy</c>; day × ad figures through the Reports service in auto mode, polled
/// while Direct builds them offline (waiting each answer's <c>retryIn</c>), in parts split on 502.
/// </summary>
public sealed class YandexDirectClient : IYandexDirectSource, IDisposable
{
    /// <summary>Used when a 201/202 comes without <c>retryIn</c> (the spec says it always has one).</summary>
    private static readonly TimeSpan RetryInWhenAbsent = TimeSpan.FromSeconds(10);

    private static readonly string[] CampaignTypesWithTrackingParams = ["TextCampaign", "UnifiedCampaign", "DynamicTextCampaign", "SmartCampaign"];

    /// <summary>Where each ad type keeps its link (requested per type, read from whichever structure the ad has).</summary>
    private static readonly (string Structure, string Field)[] AdLinks =
    [
        ("TextAd", "Href"), ("TextImageAd", "Href"), ("TextAdBuilderAd", "Href"), ("CpcVideoAdBuilderAd", "Href"), ("MobileAppAd", "TrackingUrl"),
    ];

    private readonly YandexDirectClientOptions _options;
    private readonly YandexDirectTransport _transport;
    private readonly YandexDirectUsage _usage;
    private readonly TimeProvider _time;
    private readonly ILogger<YandexDirectClient> _logger;
    private IDisposable? _services;
    private int _missingValues;

    /// <param name="http">The client of <see cref="YandexDirectSource.AddYandexDirectSource"/>: the shared pipeline with <see cref="YandexDirectAnswerHandler"/> inside.</param>
    internal YandexDirectClient(HttpClient http, YandexDirectClientOptions options, YandexDirectUsage usage, TimeProvider time, ILogger<YandexDirectClient> logger)
    {
        _options = options.Validated();
        _transport = new YandexDirectTransport(http, options);
        _usage = usage;
        _time = time;
        _logger = logger;
    }

    public int Requests => _usage.Requests;

    public string? Units => _usage.Units;

    /// <summary>Report cells written as <c>--</c> and read as 0 so far (each part's count is also logged).</summary>
    public int MissingValues => Volatile.Read(ref _missingValues);

    public Task<IReadOnlyList<DirectCampaign>> ListCampaignsAsync(CancellationToken cancellationToken = default)
    {
        var parameters = new JsonObject
        {
            ["SelectionCriteria"] = new JsonObject(),
            ["FieldNames"] = Names("Id", "Name", "State", "Status", "Type"),
        };
        foreach (var type in CampaignTypesWithTrackingParams)
        {
            parameters[type + "FieldNames"] = Names("TrackingParams");
        }
        return GetAllAsync("campaigns", "Campaigns", parameters, e => new DirectCampaign(DirectJson.Id(e, "Id"), DirectJson.Text(e, "Name"),
            DirectJson.Text(e, "State"), DirectJson.Text(e, "Status"), DirectJson.Text(e, "Type"),
            DirectJson.FirstOf(e, CampaignTypesWithTrackingParams.Select(type => (type, "TrackingParams")))), cancellationToken);
    }

    public async Task<IReadOnlyList<DirectAdGroup>> ListAdGroupsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default)
    {
        var groups = new List<DirectAdGroup>();
        foreach (var ids in campaignIds.Distinct().Order().Chunk(_options.CampaignIdsPerCall))
        {
            groups.AddRange(await GetAllAsync("adgroups", "AdGroups", new JsonObject
            {
                ["SelectionCriteria"] = new JsonObject { ["CampaignIds"] = Ids(ids) },
                ["FieldNames"] = Names("Id", "Name", "CampaignId", "TrackingParams"),
            }, e => new DirectAdGroup(DirectJson.Id(e, "Id"), DirectJson.Id(e, "CampaignId"), DirectJson.Text(e, "Name"), DirectJson.Text(e, "TrackingParams")),
                cancellationToken));
        }
        return groups;
    }

    public async Task<IReadOnlyList<DirectAd>> ListAdsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default)
    {
        var ads = new List<DirectAd>();
        foreach (var ids in campaignIds.Distinct().Order().Chunk(_options.CampaignIdsPerCall))
        {
            // No States filter: archived and deleted ads keep their spend in reports (spec §4).
            ads.AddRange(await GetAllAsync("ads", "Ads", new JsonObject
            {
                ["SelectionCriteria"] = new JsonObject { ["CampaignIds"] = Ids(ids) },
                ["FieldNames"] = Names("Id", "AdGroupId", "CampaignId", "State", "Status", "Type"),
                ["TextAdFieldNames"] = Names("Href", "Title"),
                ["TextImageAdFieldNames"] = Names("Href"),
                ["TextAdBuilderAdFieldNames"] = Names("Href"),
                ["CpcVideoAdBuilderAdFieldNames"] = Names("Href"),
                ["MobileAppAdFieldNames"] = Names("TrackingUrl"),
            }, e => new DirectAd(DirectJson.Id(e, "Id"), DirectJson.OptionalId(e, "AdGroupId") ?? 0, DirectJson.Id(e, "CampaignId"),
                DirectJson.Text(e, "State"), DirectJson.Text(e, "Status"), DirectJson.Text(e, "Type"), DirectJson.FirstOf(e, AdLinks),
                DirectJson.FirstOf(e, [("TextAd", "Title")])), cancellationToken));
        }
        return ads;
    }

    public async Task CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        var body = Method(new JsonObject
        {
            ["SelectionCriteria"] = new JsonObject(),
            ["FieldNames"] = Names("Id"),
            ["Page"] = new JsonObject { ["Limit"] = 1 },
        });
        using var response = await _transport.PostAsync("campaigns", body, "POST campaigns", cancellationToken);
        (await ReadResultAsync(response, "POST campaigns", cancellationToken)).Dispose();
    }

    public async IAsyncEnumerable<DirectAdDays> ReadAdDaysAsync(DateOnly from, DateOnly to, string runId, IProgress<string>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var partDays = _options.ReportDays;
        var pending = new Stack<(DateOnly From, DateOnly To)>();
        pending.Push((from, to));
        while (pending.TryPop(out var part))
        {
            var days = part.To.DayNumber - part.From.DayNumber + 1;
            if (days > partDays)
            {
                // Date order: the earliest part on top.
                for (var start = part.From.AddDays((days - 1) / partDays * partDays); start >= part.From; start = start.AddDays(-partDays))
                {
                    var end = start.AddDays(partDays - 1);
                    pending.Push((start, end < part.To ? end : part.To));
                }
                continue;
            }
            DirectAdDays? read = null;
            try
            {
                read = await ReadReportAsync(part.From, part.To, runId, progress, cancellationToken);
            }
            catch (DirectReportTooLongException e) when (days == 1)
            {
                throw new YandexDirectException(
                    $"{YandexDirectTransport.Source} report for {part.From:yyyy-MM-dd}: building took too long (HTTP 502) even for this one day; try again later",
                    inner: e);
            }
            catch (DirectReportTooLongException)
            {
                partDays = (days + 1) / 2;
                _logger.LogInformation("Yandex Direct report {From:yyyy-MM-dd}…{To:yyyy-MM-dd}: building took too long (HTTP 502); reading {Days}-day parts from now on",
                    part.From, part.To, partDays);
                var middle = part.From.AddDays(partDays);
                pending.Push((middle, part.To));
                pending.Push((part.From, middle.AddDays(-1)));
            }
            if (read is not null)
            {
                yield return read;
            }
        }
    }

    /// <summary>
    /// One report part: the same request (same body, same <c>ReportName</c>) until Direct answers 200, waiting each 201/202's
    /// <c>retryIn</c> in between, at most <see cref="YandexDirectClientOptions.MaxOfflineWait"/> in all.
    /// </summary>
    private async Task<DirectAdDays> ReadReportAsync(DateOnly from, DateOnly to, string runId, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var (name, body) = ReportRequest(from, to, runId);
        var operation = $"POST reports {from:yyyy-MM-dd}…{to:yyyy-MM-dd}";
        var waited = TimeSpan.Zero;
        while (true)
        {
            using var response = await _transport.PostAsync("reports", body, operation, cancellationToken,
                [new("processingMode", "auto"), new("skipReportHeader", "true"), new("skipReportSummary", "true")]);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                List<DirectAdDay> rows;
                int missing;
                try
                {
                    (rows, missing) = DirectReportTsv.Parse(text, from, to);
                }
                catch (FormatException e)
                {
                    throw new YandexDirectException($"{YandexDirectTransport.Source} {operation}: the report is not the documented TSV ({e.Message})",
                        requestId: DirectError.Header(response, "RequestId"), inner: e);
                }
                if (missing > 0)
                {
                    Interlocked.Add(ref _missingValues, missing);
                    _logger.LogInformation("Yandex Direct report {From:yyyy-MM-dd}…{To:yyyy-MM-dd}: {Missing} value(s) were '--', read as 0", from, to, missing);
                }
                progress?.Report($"report {from:yyyy-MM-dd}…{to:yyyy-MM-dd}: {rows.Count:N0} ad-day row(s)");
                return new DirectAdDays(from, to, rows);
            }
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted))
            {
                throw await DirectError.OfAnswerAsync(response, operation, _options, SourceResilience.IsRetryable(response.StatusCode), cancellationToken);
            }
            var queue = DirectError.Header(response, "reportsInQueue");
            if (waited >= _options.MaxOfflineWait)
            {
                throw new YandexDirectException(
                    $"{YandexDirectTransport.Source} report '{name}' ({from:yyyy-MM-dd}…{to:yyyy-MM-dd}) was still being built after {waited.TotalMinutes:0.#} min " +
                    $"(HTTP {(int)response.StatusCode}{(queue is null ? "" : $", {queue} report(s) in the queue")}); the next run tries again",
                    requestId: DirectError.Header(response, "RequestId"));
            }
            var retryIn = RetryIn(response);
            var wait = retryIn < _options.MaxOfflineWait - waited ? retryIn : _options.MaxOfflineWait - waited;
            _logger.LogInformation("Yandex Direct report {From:yyyy-MM-dd}…{To:yyyy-MM-dd}: {State} offline ({Queue} in the queue); asking again in {Wait:0.#} s",
                from, to, response.StatusCode == HttpStatusCode.Created ? "queued" : "being built", queue ?? "?", wait.TotalSeconds);
            progress?.Report($"report {from:yyyy-MM-dd}…{to:yyyy-MM-dd}: building offline, asking again in {wait.TotalSeconds:0.#} s");
            await Task.Delay(wait, _time, cancellationToken);
            waited += wait;
        }
    }

    /// <summary>
    /// The report's body and its name: the run id, the period and a hash of every other parameter, so the same name always
    /// comes with the same parameters (sending a known name with others is an error) and no run reads another's report.
    /// </summary>
    private (string Name, string Body) ReportRequest(DateOnly from, DateOnly to, string runId)
    {
        JsonObject Definition(string name) => new()
        {
            ["params"] = new JsonObject
            {
                ["SelectionCriteria"] = new JsonObject
                {
                    ["DateFrom"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["DateTo"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                },
                ["FieldNames"] = Names(DirectReportTsv.Fields),
                ["ReportName"] = name,
                ["ReportType"] = "CUSTOM_REPORT",
                ["DateRangeType"] = "CUSTOM_DATE",
                ["Format"] = "TSV",
                ["IncludeVAT"] = _options.IncludeVat ? "YES" : "NO",
            },
        };
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Definition("").ToJsonString())))[..8];
        var run = new string(runId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        var name = string.Create(CultureInfo.InvariantCulture, $"zakaz_{run}_{from:yyyyMMdd}_{to:yyyyMMdd}_{hash}");
        return (name, Definition(name).ToJsonString());
    }

    // At least a second: a retryIn of 0 would poll without pause (Reports allow 20 requests per 10 s) and never reach MaxOfflineWait.
    private static TimeSpan RetryIn(HttpResponseMessage response) =>
        DirectError.Header(response, "retryIn") is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(Math.Max(1, seconds))
            : RetryInWhenAbsent;

    /// <summary>Every object of a <c>get</c>: pages of <see cref="YandexDirectClientOptions.PageLimit"/>, the next from <c>LimitedBy</c> while it is present.</summary>
    private async Task<IReadOnlyList<T>> GetAllAsync<T>(string service, string objects, JsonObject parameters, Func<JsonElement, T> read,
        CancellationToken cancellationToken)
    {
        var items = new List<T>();
        long offset = 0;
        for (var page = 1; ; page++)
        {
            parameters["Page"] = new JsonObject { ["Limit"] = _options.PageLimit, ["Offset"] = offset };
            var operation = page == 1 ? $"POST {service}" : $"POST {service} page {page}";
            using var response = await _transport.PostAsync(service, Method(parameters), operation, cancellationToken);
            using var document = await ReadResultAsync(response, operation, cancellationToken);
            var result = document.RootElement.GetProperty("result");
            long? limitedBy;
            try
            {
                if (DirectJson.Property(result, objects) is { ValueKind: JsonValueKind.Array } array)
                {
                    items.AddRange(array.EnumerateArray().Select(read));
                }
                limitedBy = DirectJson.OptionalId(result, "LimitedBy");
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new YandexDirectException($"{YandexDirectTransport.Source} {operation}: the answer is not in the documented shape ({e.Message})",
                    requestId: DirectError.Header(response, "RequestId"), inner: e);
            }
            // LimitedBy is the number of the last object returned, so the next page starts there.
            if (limitedBy is not { } next)
            {
                return items;
            }
            if (next <= offset)
            {
                throw new YandexDirectException($"{YandexDirectTransport.Source} {operation}: LimitedBy {next} does not move past offset {offset}",
                    requestId: DirectError.Header(response, "RequestId"));
            }
            offset = next;
        }
    }

    /// <summary>A 200 with a <c>result</c> object (an error object was already raised by the handler); anything else fails.</summary>
    private async Task<JsonDocument> ReadResultAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await DirectError.OfAnswerAsync(response, operation, _options, SourceResilience.IsRetryable(response.StatusCode), cancellationToken);
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new YandexDirectException($"{YandexDirectTransport.Source} {operation}: the 200 answer is not valid JSON ({e.Message})",
                requestId: DirectError.Header(response, "RequestId"), inner: e);
        }
        if (DirectJson.Property(document.RootElement, "result") is not { ValueKind: JsonValueKind.Object })
        {
            document.Dispose();
            throw new YandexDirectException($"{YandexDirectTransport.Source} {operation}: the 200 answer has no 'result' object",
                requestId: DirectError.Header(response, "RequestId"));
        }
        return document;
    }

    private static string Method(JsonObject parameters) => new JsonObject { ["method"] = "get", ["params"] = parameters.DeepClone() }.ToJsonString();

    private static JsonArray Names(params string[] names) => new(names.Select(name => (JsonNode)name).ToArray());

    private static JsonArray Ids(long[] ids) => new(ids.Select(id => (JsonNode)id).ToArray());

    /// <summary>The container of a client made by <see cref="YandexDirectSource.Create"/>, released with it.</summary>
    internal void OwnServices(IDisposable services) => _services = services;

    public void Dispose() => Interlocked.Exchange(ref _services, null)?.Dispose();
}
