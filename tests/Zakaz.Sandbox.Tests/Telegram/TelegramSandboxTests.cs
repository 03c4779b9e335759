using System.Net;
using System.Text.Json.Nodes;
using Zakaz.Sandbox.Telegram;

namespace Zakaz.Sandbox.Tests.Telegram;

/// <summary>The Telegram stand-in answers as the Bot API documents, whatever client calls it.</summary>
public sealed class TelegramSandboxTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private TelegramSandbox _telegram = null!;

    public async Task InitializeAsync() => _telegram = await TelegramSandbox.StartAsync(new TelegramSandboxOptions { Token = "4242:test-token" });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task A_form_encoded_send_message_is_delivered_and_recorded()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["chat_id"] = "100200300", ["text"] = "<b>Тест</b> 1 &lt; 2", ["parse_mode"] = "HTML" });

        var (status, answer) = await PostAsync("bot4242:test-token/sendMessage", form);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer["ok"]!.GetValue<bool>());
        Assert.Equal("Тест 1 < 2", answer["result"]!["text"]!.GetValue<string>());
        Assert.Equal(new TelegramMessage("100200300", "<b>Тест</b> 1 &lt; 2", "HTML"), Assert.Single(_telegram.Messages));
    }

    [Theory]
    [InlineData("1 < 2", "can't parse entities")]
    [InlineData("<b>open", "can't parse entities")]
    [InlineData("<b>crossed<i></b></i>", "can't parse entities")]
    [InlineData("<script>x</script>", "can't parse entities")]
    public async Task Html_telegram_cannot_parse_is_a_400(string text, string expected)
    {
        var (status, answer) = await SendJsonAsync("100200300", text);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, answer["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_telegram.Messages);
    }

    [Fact]
    public async Task The_limit_is_4096_characters_after_entities()
    {
        var (fits, _) = await SendJsonAsync("100200300", string.Concat(Enumerable.Repeat("&amp;", 4096)));
        var (tooLong, answer) = await SendJsonAsync("100200300", new string('я', 4097));

        Assert.Equal(HttpStatusCode.OK, fits);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Equal("Bad Request: message is too long", answer["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_token_is_401_and_an_unknown_chat_is_chat_not_found()
    {
        var (unauthorized, refused) = await PostAsync("bot4242:other/sendMessage", Json("100200300", "x"));
        var (unknown, notFound) = await SendJsonAsync("-42", "x");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized);
        Assert.Equal("Unauthorized", refused["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Equal("Bad Request: chat not found", notFound["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scripted_flood_control_puts_retry_after_in_the_body_only_then_answers_normally()
    {
        _telegram.RateLimitNext(1, retryAfterSeconds: 17);

        using var limited = await _http.PostAsync(new Uri(_telegram.ApiUrl + "bot4242:test-token/sendMessage"), Json("100200300", "x"));
        var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        var (then, _) = await SendJsonAsync("100200300", "x");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(17, body["parameters"]!["retry_after"]!.GetValue<int>());
        Assert.Null(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, then);
        Assert.Equal(2, _telegram.Requests);
    }

    [Fact]
    public async Task Get_me_describes_the_bot()
    {
        var answer = JsonNode.Parse(await _http.GetStringAsync(new Uri(_telegram.ApiUrl + "bot4242:test-token/getMe")))!;

        Assert.Equal(4242, answer["result"]!["id"]!.GetValue<long>());
        Assert.True(answer["result"]!["is_bot"]!.GetValue<bool>());
    }

    private Task<(HttpStatusCode, JsonNode)> SendJsonAsync(string chat, string text) => PostAsync("bot4242:test-token/sendMessage", Json(chat, text));

    private static StringContent Json(string chat, string text) =>
        new(new JsonObject { ["chat_id"] = chat, ["text"] = text, ["parse_mode"] = "HTML" }.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode, JsonNode)> PostAsync(string path, HttpContent content)
    {
        using (content)
        {
            using var response = await _http.PostAsync(new Uri(_telegram.ApiUrl + path), content);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }
    }
}
