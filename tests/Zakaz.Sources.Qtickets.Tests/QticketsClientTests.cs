using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Zakaz.Sources.Qtickets.Tests.FakeQticketsServer;

namespace Zakaz.Sources.Qtickets.Tests;

public sealed class QticketsClientTests
{
    private static IEnumerable<long> Ids(int page, int perPage, long total)
    {
        for (var id = (long)(page - 1) * perPage + 1; id <= Math.Min((long)page * perPage, total); id++)
        {
            yield return id;
        }
    }

    private static async Task<List<long>> EventIdsAsync(QticketsClient client)
    {
        var ids = new List<long>();
        await foreach (var e in client.ListEventsAsync())
        {
            ids.Add(e.Id);
        }
        return ids;
    }

    [Fact]
    public async Task Order_lists_are_GETs_with_a_JSON_body_and_the_bearer_token_and_stop_when_the_pages_cover_the_total()
    {
        await using var server = await StartAsync((c, r) => Page(c, Ids(r.Page, 2, 5), r.Page, 2, 5));
        using var client = server.Client();
        var request = new OrderListRequest
        {
            Where = [QticketsCondition.Equal("payed", 1), QticketsCondition.IsNull("deleted_at")],
            OrderBy = new QticketsSort("id", Descending: true),
        };

        var pages = new List<QticketsPage<QticketsOrder>>();
        await foreach (var page in client.ListOrderPagesAsync(request))
        {
            pages.Add(page);
        }

        Assert.Equal([1, 2, 3], pages.Select(p => p.Number));
        Assert.Equal([1L, 2, 3, 4, 5], pages.SelectMany(p => p.Items).Select(o => o.Id));
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Equal("/api/rest/v1/orders", r.Path);
            Assert.Equal("Bearer " + Token, r.Authorization);
            Assert.Equal(
                """{"where":[{"column":"payed","value":1},{"column":"deleted_at","operator":"null"}],"orderBy":{"id":"desc"},"page":""" + r.Page + "}",
                r.Body!.ToJsonString());
        });
    }

    [Fact]
    public async Task Paging_stops_at_an_empty_page_even_when_the_total_says_more()
    {
        await using var server = await StartAsync((c, r) => Page(c, r.Page <= 2 ? Ids(r.Page, 2, 40) : [], r.Page, 2, 40));
        using var client = server.Client(maxConcurrency: 1);

        Assert.Equal([1L, 2, 3, 4], await EventIdsAsync(client));
        // Page 3 is empty; only pages already started (the look-ahead) may have been asked for after it.
        Assert.True(server.Requests.Max(r => r.Page) <= 4);
    }

    [Fact]
    public async Task Paging_never_asks_beyond_the_page_count_of_the_first_total_plus_two()
    {
        // Page 1 says 6 items (3 pages of 2); every later page claims the total has jumped to 1000.
        await using var server = await StartAsync((c, r) => Page(c, Ids(r.Page, 2, 1000), r.Page, 2, r.Page == 1 ? 6 : 1000));
        using var client = server.Client();

        var ids = await EventIdsAsync(client);

        Assert.Equal(10, ids.Count);
        Assert.Equal(5, server.Requests.Max(r => r.Page));
    }

    [Fact]
    public async Task A_page_that_comes_back_as_page_one_is_an_error()
    {
        await using var server = await StartAsync((c, _) => Page(c, Ids(1, 2, 10), 1, 2, 10));
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsResponseException>(() => EventIdsAsync(client));

        Assert.Contains("/events page 2", error.Message);
        Assert.Contains("ignored 'page'", error.Message);
    }

    [Fact]
    public async Task A_page_with_exactly_the_items_of_an_earlier_page_is_an_error()
    {
        await using var server = await StartAsync((c, r) => Page(c, Ids(1, 2, 10), r.Page, 2, 10));
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsResponseException>(() => EventIdsAsync(client));

        Assert.Contains("repeats an earlier page", error.Message);
    }

    [Fact]
    public async Task Items_that_shift_between_pages_are_returned_once()
    {
        long[][] pages = [[1, 2], [2, 3], [4, 5], [6]];
        await using var server = await StartAsync((c, r) => Page(c, pages[r.Page - 1], r.Page, 2, 7));
        using var client = server.Client();

        Assert.Equal([1L, 2, 3, 4, 5, 6], await EventIdsAsync(client));
    }

    [Fact]
    public async Task A_503_is_retried_until_the_answer_comes()
    {
        var calls = 0;
        await using var server = await StartAsync((c, r) => Interlocked.Increment(ref calls) <= 2
            ? Json(c, """{"error":"Unknown error","status":503,"code":"UNKNOWN_ERROR","info":[]}""", 503)
            : Page(c, [1], 1, 10, 1));
        var log = new List<string>();
        using var client = server.Client(log: log);

        Assert.Equal([1L], await EventIdsAsync(client));
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, log.Count);
        Assert.All(log, line => Assert.Contains("HTTP 503 UNKNOWN_ERROR", line));
    }

    [Fact]
    public async Task A_503_that_never_ends_fails_after_five_attempts()
    {
        await using var server = await StartAsync((c, _) => Json(c, """{"error":"unknown error","status":503}""", 503));
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsApiException>(() => EventIdsAsync(client));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(5, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_waits_as_long_as_Retry_After_says(bool asDate)
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        await using var server = await StartAsync((c, _) =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return Page(c, [1], 1, 10, 1);
            }
            c.Response.Headers.RetryAfter = asDate ? time.GetUtcNow().AddSeconds(2).ToString("R") : "1";
            return Json(c, """{"error":"Too many requests","status":429}""", 429);
        });
        var retrying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        using var client = server.Client(log: log, time: time, onLog: _ => retrying.TrySetResult());
        var wait = TimeSpan.FromSeconds(asDate ? 2 : 1);

        var ids = EventIdsAsync(client);
        await retrying.Task;

        // The backoff alone would be milliseconds; the wait comes from the header (a date has whole seconds).
        Assert.EndsWith($"attempt 2 of 5 in {wait.TotalSeconds}.0 s", Assert.Single(log));
        var advanced = TimeSpan.Zero;
        while (!ids.IsCompleted)
        {
            // Until the fake clock has passed the wait, nothing more is sent.
            if (advanced < wait)
            {
                Assert.Single(server.Requests);
            }
            time.Advance(TimeSpan.FromMilliseconds(250));
            advanced += TimeSpan.FromMilliseconds(250);
            await Task.WhenAny(ids, Task.Delay(20));
        }
        Assert.Equal([1L], await ids);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_call_stops_at_its_total_limit_whatever_attempts_are_left()
    {
        await using var server = await StartAsync((c, _) => Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { }));
        using var client = QticketsSource.Create(new QticketsClientOptions
        {
            BaseUrl = server.BaseUrl,
            Token = Token,
            RequestTimeout = TimeSpan.FromSeconds(10),
            TotalTimeout = TimeSpan.FromMilliseconds(300),
        });

        var error = await Assert.ThrowsAsync<QticketsException>(() => EventIdsAsync(client));

        Assert.Equal("Qtickets GET /events page 1: no complete answer within 0.3 s", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_registration_gives_the_client_as_the_source_with_the_shared_retries()
    {
        var calls = 0;
        await using var server = await StartAsync((c, _) => Interlocked.Increment(ref calls) == 1 ? Json(c, "{}", 503) : Page(c, [1], 1, 10, 1));
        await using var services = new ServiceCollection()
            .AddQticketsSource(_ => new QticketsClientOptions { BaseUrl = server.BaseUrl, Token = Token, RetryBaseDelay = TimeSpan.FromMilliseconds(5) })
            .BuildServiceProvider();

        var source = services.GetRequiredService<IQticketsSource>();

        Assert.Same(services.GetRequiredService<QticketsClient>(), source);
        Assert.Equal([1L], await source.ListEventsAsync().Select(e => e.Id).ToListAsync());
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_fails_at_once_with_the_API_code_and_message()
    {
        await using var server = await StartAsync((c, _) => Json(c, """{"error":"Bad filter","status":400,"code":"VALIDATION_ERROR","info":{"column":"x"}}""", 400));
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsApiException>(() => client.ListOrdersAsync(new OrderListRequest()).ToListAsync().AsTask());

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("VALIDATION_ERROR", error.Code);
        Assert.Equal("Bad filter", error.ApiMessage);
        Assert.Equal("/orders", error.Path);
        Assert.Equal("Qtickets GET /orders page 1 failed with HTTP 400 VALIDATION_ERROR: Bad filter", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_HTML_404_is_a_clear_error_naming_the_path_and_content_type()
    {
        var html = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "html_404.html"));
        await using var server = await StartAsync((c, _) =>
        {
            c.Response.StatusCode = 404;
            c.Response.ContentType = "text/html; charset=utf-8";
            return c.Response.WriteAsync(html);
        });
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsHttpException>(() => client.GetShowSeatsAsync(910001));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("/shows/910001/seats", error.Path);
        Assert.Equal("text/html", error.ContentType);
        Assert.StartsWith("Qtickets GET /shows/910001/seats answered HTTP 404 with text/html instead of JSON (no such route", error.Message);
        Assert.StartsWith("<!DOCTYPE html> <html lang=\"ru\">", error.BodyExcerpt);
        Assert.True(error.BodyExcerpt.Length <= 512);
        Assert.Null(error.InnerException);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Invalid_JSON_on_a_200_is_retried_once_then_fatal()
    {
        await using var server = await StartAsync((c, _) => Json(c, """{"data":[{"id":1"""));
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<QticketsResponseException>(() => EventIdsAsync(client));

        Assert.Contains("not valid JSON", error.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_empty_200_is_retried()
    {
        var calls = 0;
        await using var server = await StartAsync((c, _) => Interlocked.Increment(ref calls) == 1 ? Json(c, "") : Page(c, [7], 1, 10, 1));
        using var client = server.Client();

        Assert.Equal([7L], await EventIdsAsync(client));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried()
    {
        var calls = 0;
        await using var server = await StartAsync(async (c, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { });
                return;
            }
            await Page(c, [1], 1, 10, 1);
        });
        var log = new List<string>();
        using var client = server.Client(timeout: TimeSpan.FromMilliseconds(300), log: log);

        Assert.Equal([1L], await EventIdsAsync(client));
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("no complete answer within 0.3 s", Assert.Single(log));
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        var calls = 0;
        await using var server = await StartAsync((c, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                c.Abort();
                return Task.CompletedTask;
            }
            return Page(c, [1], 1, 10, 1);
        });
        using var client = server.Client();

        Assert.Equal([1L], await EventIdsAsync(client));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_token_never_appears_in_errors_or_logs()
    {
        await using var server = await StartAsync((c, r) => r.Path switch
        {
            // Error pages that echo the request's credentials back.
            "/api/rest/v1/events" => Json(c, $$"""{"error":"token {{Token}} is not valid","status":503}""", 503),
            "/api/rest/v1/orders/1" => Json(c, $$"""{"error":"Forbidden for {{r.Authorization}}","status":403}""", 403),
            _ => Task.Run(() =>
            {
                c.Response.StatusCode = 404;
                c.Response.ContentType = "text/html";
                return c.Response.WriteAsync($"<html>Not found. You sent: {r.Authorization} ?token={Token}</html>");
            }),
        });
        var log = new List<string>();
        using var client = server.Client(log: log);

        var errors = new Exception[]
        {
            await Assert.ThrowsAsync<QticketsApiException>(() => EventIdsAsync(client)),
            await Assert.ThrowsAsync<QticketsApiException>(() => client.GetOrderAsync(1)),
            await Assert.ThrowsAsync<QticketsHttpException>(() => client.GetShowSeatsAsync(1)),
        };

        var texts = errors.Select(e => e.ToString()).Concat(log).ToArray();
        Assert.Equal(7, texts.Length);
        Assert.All(texts, text => Assert.DoesNotContain(Token, text));
        Assert.All(texts, text => Assert.DoesNotContain(Token[..12], text));
        Assert.Matches("^sha256:[0-9a-f]{4}$", client.TokenFingerprint);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Pages_are_fetched_concurrently_up_to_the_limit_and_no_further(int limit)
    {
        await using var server = await StartAsync(async (c, r) =>
        {
            await Task.Delay(40);
            await Page(c, Ids(r.Page, 1, 60), r.Page, 1, 60);
        });
        using var client = server.Client(maxConcurrency: limit);

        // Two lists at once share the client's limit.
        var both = await Task.WhenAll(EventIdsAsync(client), client.ListOrdersAsync(new OrderListRequest()).Select(o => o.Id).ToListAsync().AsTask());

        Assert.All(both, ids => Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), ids));
        Assert.Equal(limit, server.MaxInFlight);
    }

    [Fact]
    public async Task Stopping_early_cancels_the_pages_in_flight()
    {
        await using var server = await StartAsync(async (c, r) =>
        {
            await Task.Delay(20);
            await Page(c, Ids(r.Page, 1, 1000), r.Page, 1, 1000);
        });
        using var client = server.Client(maxConcurrency: 2);

        await foreach (var page in client.ListOrderPagesAsync(new OrderListRequest()))
        {
            if (page.Number == 3)
            {
                break;
            }
        }

        Assert.True(server.Requests.Count <= 3 + 4, $"{server.Requests.Count} requests");
    }

    [Fact]
    public async Task A_single_order_that_does_not_exist_is_skipped_but_a_list_route_404_is_fatal()
    {
        var notFound = """{"error":"Resource \"Order\" not found","status":404,"code":"RESOURCE_NOT_FOUND","info":{"id":5999999,"resource":"Order"}}""";
        await using var server = await StartAsync((c, _) => Json(c, notFound, 404));
        var log = new List<string>();
        using var client = server.Client(log: log);

        Assert.Null(await client.GetOrderAsync(5999999));
        Assert.Equal("Qtickets order 5999999 not found; skipped", Assert.Single(log));
        var error = await Assert.ThrowsAsync<QticketsApiException>(() => EventIdsAsync(client));
        Assert.True(error.IsResourceNotFound);
    }

    [Fact]
    public async Task Optional_resources_that_are_missing_or_forbidden_are_skipped_while_core_ones_fail()
    {
        await using var server = await StartAsync((c, r) => r.Path switch
        {
            "/api/rest/v1/discounts" => Task.Run(() =>
            {
                c.Response.StatusCode = 404;
                c.Response.ContentType = "text/html";
                return c.Response.WriteAsync("<html>Страница не найдена</html>");
            }),
            "/api/rest/v1/promo-codes/" or "/api/rest/v1/promo-codes" or "/api/rest/v1/orders" => Json(c, """{"error":"Forbidden","status":403}""", 403),
            _ => Json(c, "{}", 500),
        });
        using var client = server.Client();

        var discounts = await client.ListDiscountsAsync();
        var promoCodes = await client.ListPromoCodesAsync();

        Assert.True(discounts.IsSkipped);
        Assert.Contains("HTTP 404 with text/html", discounts.SkippedReason);
        Assert.True(promoCodes.IsSkipped);
        Assert.Contains("HTTP 403", promoCodes.SkippedReason);
        var error = await Assert.ThrowsAsync<QticketsApiException>(() => client.ListOrdersAsync(new OrderListRequest()).ToListAsync().AsTask());
        Assert.Equal(403, error.StatusCode);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Seats_are_asked_for_flat_with_the_count_columns()
    {
        var seats = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seats_flat_910001.json"));
        await using var server = await StartAsync((c, _) => Json(c, seats));
        using var client = server.Client();

        var inventory = await client.GetShowSeatsAsync(910001);

        Assert.Equal(new ShowInventory(204, 146), inventory);
        var body = Assert.Single(server.Requests).Body!.AsObject();
        Assert.True(body["flat"]!.GetValue<bool>());
        Assert.Superset(
            new HashSet<string> { "max_quantity", "free_quantity", "disabled" },
            body["select"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet());
    }
}
