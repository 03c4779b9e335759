using System.Diagnostics;
using System.Net;
using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

/// <summary>Each test scripts faults on its own small sandbox.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private QticketsSandbox _sandbox = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await QticketsSandbox.StartAsync(SandboxFixture.Options with { Orders = 200 });
        _api = new ApiClient(_sandbox, TimeSpan.FromSeconds(2));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task The_nth_request_of_a_route_fails_exactly_as_scripted()
    {
        await _api.JsonAsync("/orders");
        _sandbox.Faults.Fail("orders", QticketsFaultKind.ServiceUnavailable, 2, 3);

        HttpStatusCode[] statuses = [.. await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await StatusAsync("/orders")))];
        HttpStatusCode events = await StatusAsync("/events");

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, events);
        Assert.Equal(5, _sandbox.Faults.RequestCount("orders"));
        Assert.Equal(6, _sandbox.Faults.RequestCount(QticketsFaults.AnyRoute));
        Assert.Equal(2, _sandbox.Faults.FaultsFired);
    }

    [Fact]
    public async Task Scripted_faults_fire_in_request_order()
    {
        long id = (await _api.JsonAsync("/orders")).GetProperty("data")[0].GetProperty("id").GetInt64();
        _sandbox.Faults.Fail("orders/{id}", QticketsFaultKind.InternalServerError, 1);
        _sandbox.Faults.Fail(QticketsFaults.AnyRoute, QticketsFaultKind.BadGateway, 3);

        HttpStatusCode first = await StatusAsync($"/orders/{id}");
        HttpStatusCode second = await StatusAsync($"/orders/{id}");
        HttpStatusCode third = await StatusAsync("/events");
        HttpStatusCode fourth = await StatusAsync("/events");

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.OK, HttpStatusCode.BadGateway, HttpStatusCode.OK],
            new[] { first, second, third, fourth });
    }

    [Fact]
    public async Task Each_fault_kind_looks_as_a_client_meets_it()
    {
        _sandbox.Faults.RetryAfter = TimeSpan.FromSeconds(7);
        _sandbox.Faults.SlowResponseDelay = TimeSpan.FromSeconds(10);
        _sandbox.Faults.Fail("events", QticketsFaultKind.ServiceUnavailable, 1);
        _sandbox.Faults.Fail("events", QticketsFaultKind.InternalServerError, 2);
        _sandbox.Faults.Fail("events", QticketsFaultKind.BadGateway, 3);
        _sandbox.Faults.Fail("events", QticketsFaultKind.TooManyRequests, 4);
        _sandbox.Faults.Fail("events", QticketsFaultKind.MalformedJson, 5);
        _sandbox.Faults.Fail("events", QticketsFaultKind.EmptyBody, 6);
        _sandbox.Faults.Fail("events", QticketsFaultKind.HtmlNotFound, 7);
        _sandbox.Faults.Fail("events", QticketsFaultKind.DropConnection, 8);
        _sandbox.Faults.Fail("events", QticketsFaultKind.SlowResponse, 9);

        using (HttpResponseMessage unavailable = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Contains("UNKNOWN_ERROR", await unavailable.Content.ReadAsStringAsync());
        }
        using (HttpResponseMessage error = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        }
        using (HttpResponseMessage gateway = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, gateway.StatusCode);
            Assert.Equal("text/html", gateway.Content.Headers.ContentType?.MediaType);
        }
        using (HttpResponseMessage limited = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        }
        using (HttpResponseMessage malformed = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
            Assert.Equal("application/json", malformed.Content.Headers.ContentType?.MediaType);
            string text = await malformed.Content.ReadAsStringAsync();
            Assert.StartsWith("{\"data\":[", text, StringComparison.Ordinal);
            Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        }
        using (HttpResponseMessage empty = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Empty(await empty.Content.ReadAsByteArrayAsync());
        }
        using (HttpResponseMessage html = await _api.SendAsync("/events"))
        {
            Assert.Equal(HttpStatusCode.NotFound, html.StatusCode);
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        }
        await Assert.ThrowsAsync<HttpRequestException>(() => _api.SendAsync("/events"));
        await Assert.ThrowsAsync<TaskCanceledException>(() => _api.SendAsync("/events"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/events"));
        Assert.Equal(9, _sandbox.Faults.FaultsFired);
    }

    [Fact]
    public async Task Latency_delays_every_request_and_clear_removes_it()
    {
        _sandbox.Faults.SetLatency(TimeSpan.FromMilliseconds(150));
        var clock = Stopwatch.StartNew();
        await _api.JsonAsync("/orders");
        TimeSpan delayed = clock.Elapsed;
        _sandbox.Faults.SetLatency(TimeSpan.FromSeconds(5));

        _sandbox.Faults.Clear();

        Assert.True(delayed >= TimeSpan.FromMilliseconds(150), $"{delayed.TotalMilliseconds} ms");
        // Within the client's 2 s timeout, which the 5 s latency would have exceeded.
        await _api.JsonAsync("/orders");
    }

    [Fact]
    public async Task Random_faults_at_rate_one_fail_every_request_with_the_given_kinds()
    {
        _sandbox.Faults.FailRandomly(1, QticketsFaultKind.ServiceUnavailable, QticketsFaultKind.TooManyRequests);

        HttpStatusCode[] statuses = [.. await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => await StatusAsync("/orders")))];
        _sandbox.Faults.FailRandomly(0);

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests }));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/orders"));
    }

    [Fact]
    public async Task Ignore_filters_serves_the_default_order_and_every_order()
    {
        _sandbox.Faults.IgnoreFilters = true;
        var body = new { where = new object[] { new { column = "payed", value = 1 } }, orderBy = new { id = "desc" } };

        JsonElement ignored = await _api.JsonAsync("/orders", body);
        JsonElement plain = await _api.JsonAsync("/orders");

        Assert.Equal(plain.GetRawText(), ignored.GetRawText());
        Assert.Equal(200, ignored.GetProperty("paging").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Faults_are_scripted_over_http_too()
    {
        using var http = new HttpClient();
        using HttpResponseMessage set = await http.PostAsync(new Uri(_sandbox.RootUrl, "__sandbox/faults"), new StringContent(
            """{"latency_ms":5,"ignore_filters":true,"fail":[{"route":"orders","requests":[2],"kind":"too_many_requests"}]}"""));
        string state = await set.Content.ReadAsStringAsync();

        HttpStatusCode first = await StatusAsync("/orders");
        HttpStatusCode second = await StatusAsync("/orders");
        using HttpResponseMessage unknown = await http.PostAsync(new Uri(_sandbox.RootUrl, "__sandbox/faults"),
            new StringContent("""{"fail":[{"route":"sales","requests":[1],"kind":"service_unavailable"}]}"""));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Contains("\"pending\":[{\"route\":\"orders\",\"request\":2,\"kind\":\"too_many_requests\"}]", state);
        Assert.True(_sandbox.Faults.IgnoreFilters);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first, second });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Throws<ArgumentException>(() => _sandbox.Faults.Fail("sales", QticketsFaultKind.ServiceUnavailable, 1));
    }

    [Fact]
    public async Task Control_routes_are_never_counted_or_failed()
    {
        _sandbox.Faults.FailRandomly(1, QticketsFaultKind.DropConnection);
        using var http = new HttpClient();

        string truth = await http.GetStringAsync(_sandbox.TruthUrl);

        Assert.StartsWith("{", truth, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.Faults.RequestCount(QticketsFaults.AnyRoute));
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using HttpResponseMessage response = await _api.SendAsync(path);
        return response.StatusCode;
    }
}
