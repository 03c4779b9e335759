using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Zakaz.Operations.Digest;
using Zakaz.Storage;

namespace Zakaz.Web.Dashboard.Api;

internal sealed record ApiQuery(string Sql, QueryParameters Parameters);

/// <summary>
/// The JSON API behind the pages (<c>/api/...</c>, contract in the README): every answer comes from
/// <c>bi</c> views through the read-only connection, every value as a query parameter. Wrong
/// parameters are a 400 with the reason; a store that cannot answer is a 503; every error is a
/// ProblemDetails (application/problem+json) whose <c>detail</c> says why.
/// </summary>
internal sealed class DashboardApi(IClickHouseStore reader, DashboardOptions options, ILogger<DashboardApi> log)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public IClickHouseStore Reader { get; } = reader;

    public DashboardOptions Options { get; } = options;

    /// <summary>Today's date in Moscow, the business calendar.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Options.Time.GetUtcNow(), Moscow).DateTime);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        HeaderEndpoints.Map(this, api);
        SalesEndpoints.Map(this, api);
        InventoryEndpoints.Map(this, api);
        MarketingEndpoints.Map(this, api);
        CityEndpoints.Map(this, api);
        UtmEndpoints.Map(this, api);
        PlanEndpoints.Map(this, api);
        HealthEndpoints.Map(this, api);
        api.MapFallback(context => ErrorAsync(context, StatusCodes.Status404NotFound, $"No API endpoint {context.Request.Path}."));
    }

    /// <summary>
    /// A table endpoint: JSON, or a download with <c>format=csv</c> or <c>format=xlsx</c>. A paged table's JSON
    /// holds the rows from <c>offset</c> (at most <c>limit</c>) and the total; its downloads hold every row.
    /// </summary>
    public void Table(RouteGroupBuilder api, string path, ApiTable table, Func<DashboardFilters, HttpContext, ApiQuery> query) =>
        api.MapGet(path, context => AnswerAsync(context, async filters =>
        {
            var q = query(filters, context);
            if (filters.Format != TableFormat.Json)
            {
                var label = await ExportLabelAsync(table.Name, filters, context.RequestAborted);
                await table.WriteAsync(context, await Reader.QueryAsync(q.Sql, q.Parameters, cancellationToken: context.RequestAborted), filters.Format, label: label);
                return;
            }
            if (!table.Paged)
            {
                await table.WriteAsync(context, await Reader.QueryAsync(q.Sql, q.Parameters, cancellationToken: context.RequestAborted), TableFormat.Json);
                return;
            }
            var parameters = q.Parameters.Add("offset", filters.Offset).Add("limit", filters.Limit);
            var rows = await Reader.QueryAsync($"{q.Sql}\nLIMIT {{limit:UInt32}} OFFSET {{offset:UInt64}}", parameters, cancellationToken: context.RequestAborted);
            // The rows carry the total (ApiTable.TotalColumn); only a page past the end needs it counted.
            var total = rows.Rows.Count > 0
                ? rows.Get<ulong>(0, ApiTable.TotalColumn)
                : (await Reader.QueryAsync($"SELECT count() AS total FROM ({q.Sql})", parameters, cancellationToken: context.RequestAborted)).Get<ulong>(0, "total");
            await table.WriteAsync(context, rows, TableFormat.Json, new TablePage(total, filters.Offset, filters.Limit));
        }));

    /// <summary>
    /// What an export is of, for its file name (table, period, cities, event ids, platform, campaigns) and its
    /// header row (the same in Russian, events by name and city), so a file found later still says what it holds.
    /// </summary>
    private async Task<ExportLabel> ExportLabelAsync(string table, DashboardFilters filters, CancellationToken cancellationToken)
    {
        var events = new List<string>();
        if (filters.Events.Count > 0)
        {
            var names = await Reader.QueryAsync("""
                SELECT event_id, any(event_name) AS event_name, any(city) AS city FROM bi.v_events
                WHERE has({events:Array(UInt64)}, event_id) GROUP BY event_id ORDER BY event_id
                """, new QueryParameters().Add("events", filters.Events), cancellationToken: cancellationToken);
            events.AddRange(Enumerable.Range(0, names.Rows.Count)
                .Select(i => $"{names.Get<string>(i, "event_name")} ({MorningDigestText.CityName(names.Get<string>(i, "city"))})"));
        }
        var period = filters.From == filters.To ? $"{filters.From:dd.MM.yyyy}" : $"{filters.From:dd.MM.yyyy} — {filters.To:dd.MM.yyyy}";
        var caption = new List<string> { $"Период: {period}" };
        caption.Add(filters.Cities.Count == 0 ? "города: все" : $"города: {string.Join(", ", filters.Cities.Select(MorningDigestText.CityName))}");
        caption.Add(filters.Events.Count == 0 ? "события: все" : $"события: {string.Join(", ", events.Count > 0 ? events : filters.Events.Select(e => e.ToString(CultureInfo.InvariantCulture)))}");
        if (filters.Source.Length > 0)
        {
            caption.Add($"площадка: {MorningDigestText.PlatformName(filters.Source)}");
        }
        if (filters.Campaigns.Count > 0)
        {
            caption.Add($"кампании: {string.Join(", ", filters.Campaigns)}");
        }
        var file = new List<string> { table, $"{filters.From:yyyy-MM-dd}", $"{filters.To:yyyy-MM-dd}" };
        file.AddRange(filters.Cities);
        file.AddRange(filters.Events.Select(e => $"event-{e}"));
        if (filters.Source.Length > 0)
        {
            file.Add(filters.Source);
        }
        file.AddRange(filters.Campaigns);
        // A file name is short, and no part of it may leave the folder.
        var name = string.Join('_', file).Replace('/', '-').Replace('\\', '-');
        return new ExportLabel(name.Length > 150 ? name[..150] : name, string.Join("; ", caption));
    }

    /// <summary>A JSON object endpoint (KPIs, filters, freshness); <c>format=csv</c> is refused.</summary>
    public void Object(RouteGroupBuilder api, string path, Func<DashboardFilters, HttpContext, Task<object>> answer) =>
        api.MapGet(path, context => AnswerAsync(context, async filters =>
        {
            if (filters.Format != TableFormat.Json)
            {
                throw new BadRequestException($"{context.Request.Path} is not a table: it answers JSON only.", "format", "Эти данные не таблица: их нельзя выгрузить в файл.");
            }
            var value = await answer(filters, context);
            await context.Response.WriteAsJsonAsync(value, value.GetType(), Json, context.RequestAborted);
        }));

    /// <summary>camelCase; text as UTF-8 rather than \u escapes (the answers are JSON, never embedded in HTML).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task AnswerAsync(HttpContext context, Func<DashboardFilters, Task> answer)
    {
        try
        {
            await answer(DashboardFilters.Parse(context.Request.Query, Today));
        }
        catch (BadRequestException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message, e.Parameter, e.Reason);
        }
        catch (Exception e) when (e is StoreUnavailableException or ClickHouseException or TimeoutException or HttpRequestException && !context.Response.HasStarted)
        {
            log.LogWarning("{Path} failed: {Error}", context.Request.Path, e.Message);
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "The store did not answer; see the server's log, and /healthz.");
        }
    }

    /// <summary>
    /// A ProblemDetails whose <c>detail</c> is <paramref name="message"/>; a 400 about one parameter also carries the
    /// extensions <c>parameter</c> (which filter is at fault) and <c>reason</c> (Russian, shown beside that filter).
    /// </summary>
    public static Task ErrorAsync(HttpContext context, int status, string message, string? parameter = null, string? reason = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (parameter is not null)
        {
            extensions["parameter"] = parameter;
        }
        if (reason is not null)
        {
            extensions["reason"] = reason;
        }
        return Results.Problem(detail: message, statusCode: status, extensions: extensions).ExecuteAsync(context);
    }
}
