using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Storage;

namespace Zakaz.Web.Health;

/// <summary>
/// <c>/healthz</c>: the process is up and the store answers. <c>/readyz</c>: every enabled source is
/// fresh (not red in bi.v_ops_freshness: loaded within its red threshold and its last run did not fail).
/// Machine-readable JSON, 200 or 503, no login (they say nothing about the data).
/// </summary>
internal static class ProbeEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, IClickHouseStore reader, IReadOnlyCollection<string>? sources)
    {
        var log = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProbeEndpoints).FullName!);
        var freshness = new Freshness(reader, sources);
        endpoints.MapGet("/healthz", async context =>
        {
            try
            {
                await reader.QueryAsync("SELECT 1", cancellationToken: context.RequestAborted);
                await context.Response.WriteAsJsonAsync(new { status = "ok", store = "ok" }, Dashboard.Api.DashboardApi.Json, context.RequestAborted);
            }
            catch (Exception e) when (e is StoreUnavailableException or ClickHouseException or TimeoutException or HttpRequestException)
            {
                log.LogWarning("healthz: the store does not answer: {Error}", e.Message);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new { status = "fail", store = e.Message }, Dashboard.Api.DashboardApi.Json, context.RequestAborted);
            }
        }).AllowAnonymous();
        endpoints.MapGet("/readyz", async context =>
        {
            FreshnessAnswer answer;
            try
            {
                answer = await freshness.ReadAsync(context.RequestAborted);
            }
            catch (Exception e) when (e is StoreUnavailableException or ClickHouseException or TimeoutException or HttpRequestException)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new { status = "not_ready", sources = Array.Empty<object>(), error = e.Message }, Dashboard.Api.DashboardApi.Json, context.RequestAborted);
                return;
            }
            var watched = answer.Sources.Where(freshness.IsEnabled).ToArray();
            var ready = watched.All(s => s.Status != "red");
            context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new
            {
                status = ready ? "ready" : "not_ready",
                sources = watched.Select(s => new { source = s.Source, status = s.Status, lagMinutes = s.LagMinutes }),
            }, Dashboard.Api.DashboardApi.Json, context.RequestAborted);
        }).AllowAnonymous();
    }
}
