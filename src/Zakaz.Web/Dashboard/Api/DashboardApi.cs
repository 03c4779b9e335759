using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
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
    /// A table endpoint: JSON, or CSV with <c>format=csv</c>. A paged table's JSON holds the rows from
    /// <c>offset</c> (at most <c>limit</c>) and the total; its CSV holds every row.
    /// </summary>
    public void Table(RouteGroupBuilder api, string path, ApiTable table, Func<DashboardFilters, HttpContext, ApiQuery> query) =>
        api.MapGet(path, context => AnswerAsync(context, async filters =>
        {
            var q = query(filters, context);
            if (!table.Paged || filters.Csv)
            {
                await table.WriteAsync(context, await Reader.QueryAsync(q.Sql, q.Parameters, cancellationToken: context.RequestAborted), filters.Csv);
                return;
            }
            var parameters = q.Parameters.Add("offset", filters.Offset).Add("limit", filters.Limit);
            var rows = await Reader.QueryAsync($"{q.Sql}\nLIMIT {{limit:UInt32}} OFFSET {{offset:UInt64}}", parameters, cancellationToken: context.RequestAborted);
            // The rows carry the total (ApiTable.TotalColumn); only a page past the end needs it counted.
            var total = rows.Rows.Count > 0
                ? rows.Get<ulong>(0, ApiTable.TotalColumn)
                : (await Reader.QueryAsync($"SELECT count() AS total FROM ({q.Sql})", parameters, cancellationToken: context.RequestAborted)).Get<ulong>(0, "total");
            await table.WriteAsync(context, rows, csv: false, new TablePage(total, filters.Offset, filters.Limit));
        }));

    /// <summary>A JSON object endpoint (KPIs, filters, freshness); <c>format=csv</c> is refused.</summary>
    public void Object(RouteGroupBuilder api, string path, Func<DashboardFilters, HttpContext, Task<object>> answer) =>
        api.MapGet(path, context => AnswerAsync(context, async filters =>
        {
            if (filters.Csv)
            {
                throw new BadRequestException($"{context.Request.Path} is not a table: it answers JSON only.");
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
            await ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (Exception e) when (e is StoreUnavailableException or ClickHouseException or TimeoutException or HttpRequestException && !context.Response.HasStarted)
        {
            log.LogWarning("{Path} failed: {Error}", context.Request.Path, e.Message);
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "The store did not answer; see the server's log, and /healthz.");
        }
    }

    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        Results.Problem(detail: message, statusCode: status).ExecuteAsync(context);
}
