using System.Net;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Sandbox.Tests.YandexDirect;

/// <summary>Each test scripts faults on its own small sandbox.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Online = new() { ["processingMode"] = "online" };

    private YandexDirectSandbox _sandbox = null!;
    private DirectClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200 });
        _client = new DirectClient(_sandbox);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Scripted_queue_full_and_server_errors_hit_the_next_report_calls_only()
    {
        _sandbox.Faults.QueueFull(1);
        _sandbox.Faults.ServerError(2);

        using HttpResponseMessage objects = await _client.PostAsync("campaigns", new { method = "get", @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } } });
        HttpStatusCode[] statuses = new HttpStatusCode[4];
        int queueFullCode = 0;
        for (int i = 0; i < statuses.Length; i++)
        {
            using HttpResponseMessage response = await _client.ReportAsync(Definition(), Online);
            statuses[i] = response.StatusCode;
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                queueFullCode = (await DirectClient.ErrorAsync(response)).GetProperty("error_code").GetInt32();
            }
        }

        Assert.Equal(HttpStatusCode.OK, objects.StatusCode);
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.BadRequest, HttpStatusCode.OK], statuses);
        Assert.Equal(9000, queueFullCode);
        Assert.Equal(3, _sandbox.Faults.Fired);
    }

    [Fact]
    public async Task Error_152_comes_once_after_the_scripted_number_of_served_reports()
    {
        using (var http = new HttpClient())
        {
            using HttpResponseMessage scripted = await http.PostAsync(new Uri(_sandbox.RootUrl, "__sandbox/faults"),
                new StringContent("""{"clear": true, "not_enough_points_after": 2}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        }
        var answers = new List<(HttpStatusCode Status, int Code)>();
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await _client.ReportAsync(Definition(), Online);
            answers.Add((response.StatusCode, response.StatusCode == HttpStatusCode.OK ? 0 : (await DirectClient.ErrorAsync(response)).GetProperty("error_code").GetInt32()));
        }

        Assert.Equal([(HttpStatusCode.OK, 0), (HttpStatusCode.OK, 0), (HttpStatusCode.BadRequest, 152), (HttpStatusCode.OK, 0)], answers);
    }

    [Fact]
    public async Task Error_52_comes_in_a_200_answer_of_an_object_service_once()
    {
        _sandbox.Faults.Unavailable();
        object body = new { method = "get", @params = new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } } };

        using HttpResponseMessage first = await _client.PostAsync("campaigns", body);
        JsonElement error = await DirectClient.ErrorAsync(first);
        using HttpResponseMessage second = await _client.PostAsync("campaigns", body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(52, error.GetProperty("error_code").GetInt32());
        Assert.Contains("\"result\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_fault_in_the_control_route_is_refused_with_the_known_ones()
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.PostAsync(new Uri(_sandbox.RootUrl, "__sandbox/faults"),
            new StringContent("""{"queue_ful": 1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("queue_full", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Dictionary<string, object> Definition() =>
        DirectClient.Definition("faults", _sandbox.SpendDays.To, _sandbox.SpendDays.To);
}
