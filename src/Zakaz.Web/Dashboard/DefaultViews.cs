using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Dashboard;

/// <summary>
/// The API calls the pages make when opened without filters, with the query strings they send (filters.js
/// apiParams: <c>from</c> and <c>to</c> of the 30-day preset), so that their answers can be computed before anyone
/// asks: the header's calls without parameters, and every other parameterless GET under <c>/api/{page}/</c>.
/// </summary>
internal static class DefaultViews
{
    /// <summary>What every page's header asks, unfiltered.</summary>
    private static readonly string[] Header = ["/api/filters", "/api/freshness", "/api/version"];

    /// <summary>
    /// Pages whose presets end yesterday (their modules export <c>completeDays</c>): ad platforms report up to
    /// yesterday, so their 30 days are the 30 complete days before today.
    /// </summary>
    private static readonly string[] CompleteDayPages = ["marketing", "city"];

    /// <summary>Path and query string of every default call the app's endpoints answer, header first.</summary>
    public static IReadOnlyList<(string Page, RouteEndpoint Endpoint, string Path, QueryString Query)> Of(EndpointDataSource endpoints, DateOnly today)
    {
        var calls = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count == 0 && e.RequestDelegate is not null
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true
                && e.RoutePattern.RawText is { } raw && raw.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => (Endpoint: e, Path: e.RoutePattern.RawText!))
            .ToArray();
        return
        [
            .. Header.SelectMany(h => calls.Where(c => c.Path == h)).Select(c => ("header", c.Endpoint, c.Path, QueryString.Empty)),
            .. calls.Where(c => !Header.Contains(c.Path)).OrderBy(c => c.Path, StringComparer.Ordinal).Select(c =>
            {
                var page = c.Path.Split('/')[2];
                var (from, to) = CompleteDayPages.Contains(page) ? (today.AddDays(-30), today.AddDays(-1)) : (today.AddDays(-29), today);
                return (page, c.Endpoint, c.Path, QueryString.Create([new KeyValuePair<string, string?>("from", Day(from)), new("to", Day(to))]));
            }),
        ];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
