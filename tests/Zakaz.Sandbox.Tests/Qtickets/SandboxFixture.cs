using System.Net.Http.Headers;
using System.Net.Http.Json;
using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

/// <summary>One read-only sandbox for the collection; tests that mutate it or script faults start their own.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Anchor = new(2025, 12, 1, 12, 0, 0, TimeSpan.FromHours(3));

    public static readonly QticketsSandboxOptions Options = new() { Seed = 42, Orders = 3_000, Anchor = Anchor };

    private QticketsSandbox? _sandbox;

    public QticketsSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("Sandbox not started.");

    public ApiClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await QticketsSandbox.StartAsync(Options);
        Api = new ApiClient(_sandbox);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "Qtickets sandbox";
}

/// <summary>Calls the sandbox as a client of the real API would: GET with a JSON body and the Bearer token.</summary>
public sealed class ApiClient(QticketsSandbox sandbox, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public QticketsSandbox Sandbox { get; } = sandbox;

    public Task<HttpResponseMessage> SendAsync(string path, object? body = null, string? token = null,
        HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(Sandbox.BaseUrl + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Sandbox.Token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public async Task<JsonElement> JsonAsync(string path, object? body = null)
    {
        using HttpResponseMessage response = await SendAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Every item of a list route, paged with the spec's stop rules (§2.2).</summary>
    public async Task<List<JsonElement>> AllAsync(string path)
    {
        var items = new List<JsonElement>();
        for (int page = 1; ; page++)
        {
            JsonElement envelope = await JsonAsync(path, new { page });
            JsonElement paging = envelope.GetProperty("paging");
            JsonElement[] data = [.. envelope.GetProperty("data").EnumerateArray()];
            items.AddRange(data);
            if (data.Length == 0 ||
                paging.GetProperty("currentPage").GetInt32() * paging.GetProperty("perPage").GetInt32() >=
                paging.GetProperty("total").GetInt32())
            {
                return items;
            }
        }
    }

    public async Task<JsonElement> OrderAsync(long id) => (await JsonAsync($"/orders/{id}")).GetProperty("data");

    public void Dispose() => _http.Dispose();
}

/// <summary>The shared fixtures (<c>/work/shared/fixtures/qtickets</c>, kept in the connector's tests).</summary>
internal static class SharedFixtures
{
    public static JsonElement Json(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "QticketsFixtures", name))).RootElement;
}
