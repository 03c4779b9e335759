using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Answers API calls from a folder of recorded responses, so the whole client (paging, parsing,
/// errors) runs offline: <c>orders_page{N}*.json</c> and <c>events_page{N}*.json</c> for list pages
/// (a page with no file is empty), <c>order_single.json</c> or an order found in the order pages for
/// <c>/orders/{id}</c>, <c>seats_*_{showId}.json</c> for <c>/shows/{id}/seats</c> (the flat shape first),
/// <c>discounts_page{N}*.json</c> and <c>promo-codes_page{N}*.json</c>. Anything else is the HTML
/// "page not found" of an unknown route, as the real API answers. Filters and sort are not applied.
/// </summary>
public sealed partial class QticketsFixtureHandler(string directory) : HttpMessageHandler
{
    internal static readonly Uri BaseUrl = new("http://fixtures.invalid/api/rest/v1");

    private readonly string _directory = Directory.Exists(directory)
        ? directory
        : throw new DirectoryNotFoundException($"The Qtickets fixture folder '{directory}' does not exist.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath[BaseUrl.AbsolutePath.Length..];
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        var page = body?["page"]?.GetValue<int>() ?? 1;

        if (ListRoute().Match(path) is { Success: true } list)
        {
            var resource = list.Groups[1].Value;
            if (resource is "discounts" or "promo-codes" && !Directory.EnumerateFiles(_directory, $"{resource}_page*.json").Any())
            {
                return NotFoundRoute();
            }
            return PageFile(resource, page) is { } file ? Json(await File.ReadAllTextAsync(file, cancellationToken)) : EmptyPage(page);
        }
        if (OrderRoute().Match(path) is { Success: true } orderRoute)
        {
            var order = FindOrder(long.Parse(orderRoute.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return order is null
                ? Json("""{"error":"Resource \"Order\" not found","status":404,"code":"RESOURCE_NOT_FOUND"}""", HttpStatusCode.NotFound)
                : Json(new JsonObject { ["data"] = order }.ToJsonString());
        }
        if (SeatsRoute().Match(path) is { Success: true } seatsRoute)
        {
            var showId = seatsRoute.Groups[1].Value;
            var file = Directory.EnumerateFiles(_directory, $"seats_*_{showId}.json")
                .OrderBy(f => Path.GetFileName(f).StartsWith("seats_flat_", StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(f => f, StringComparer.Ordinal)
                .FirstOrDefault();
            return Json(file is null ? """{"data":[]}""" : await File.ReadAllTextAsync(file, cancellationToken));
        }
        return NotFoundRoute();
    }

    private string? PageFile(string resource, int page) =>
        Directory.EnumerateFiles(_directory, $"{resource}_page{page}*.json")
            .Where(f => PageNumber().Match(Path.GetFileName(f)) is { Success: true } m && m.Groups[1].Value == page.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    private JsonNode? FindOrder(long id)
    {
        var files = Directory.EnumerateFiles(_directory, "order_single*.json").Concat(Directory.EnumerateFiles(_directory, "orders_page*.json"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var data = JsonNode.Parse(File.ReadAllText(file))?["data"];
            var candidates = data is JsonArray array ? array.ToArray() : [data];
            if (candidates.FirstOrDefault(o => o?["id"]?.GetValue<long>() == id) is { } order)
            {
                return order.DeepClone();
            }
        }
        return null;
    }

    private static HttpResponseMessage EmptyPage(int page) =>
        Json(new JsonObject { ["data"] = new JsonArray(), ["paging"] = new JsonObject { ["perPage"] = 50, ["currentPage"] = page, ["total"] = 0 } }.ToJsonString());

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage NotFoundRoute() => new(HttpStatusCode.NotFound)
    {
        Content = new StringContent("<!DOCTYPE html><html><head><title>Страница не найдена 404 – Qtickets</title></head><body><h1>404</h1></body></html>",
            Encoding.UTF8, "text/html"),
    };

    [GeneratedRegex(@"^/(orders|events|discounts|promo-codes)/?$")]
    private static partial Regex ListRoute();

    [GeneratedRegex(@"^/orders/(\d+)$")]
    private static partial Regex OrderRoute();

    [GeneratedRegex(@"^/shows/(\d+)/seats$")]
    private static partial Regex SeatsRoute();

    [GeneratedRegex(@"_page(\d+)")]
    private static partial Regex PageNumber();
}
