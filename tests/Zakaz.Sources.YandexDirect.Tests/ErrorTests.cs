using Zakaz.Configuration;
using static Zakaz.Sources.YandexDirect.Tests.Direct;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>Spec §3's fatal errors: typed, one line, what to do, never the token, never retried.</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData(400, 53, "Ошибка авторизации", "issue a new one (scope direct:api) at https://oauth.yandex.ru and set YANDEX_DIRECT_TOKEN")]
    [InlineData(200, 53, "Ошибка авторизации", "issue a new one (scope direct:api) at https://oauth.yandex.ru and set YANDEX_DIRECT_TOKEN")]
    [InlineData(400, 54, "Нет прав", "no rights to the advertiser 'agency-client-7'; check that YANDEX_DIRECT_CLIENT_LOGIN is a client of the agency")]
    [InlineData(400, 58, "Незавершенная регистрация", "apply for API access in the Direct web interface (Tools → API section)")]
    [InlineData(400, 513, "Ваш логин не подключен к Яндекс.Директу", "the login 'agency-client-7' is not connected to Yandex Direct")]
    [InlineData(400, 3000, "Нет доступа к API", "no access to the API")]
    [InlineData(400, 3001, "Нет доступа к методу", "no access to this method")]
    public async Task Access_errors_stop_at_once_with_what_to_do(int status, int code, string text, string advice)
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("campaigns", _ => Answer.Error(status, code, text, $"token {Token} refused"));
        var log = new List<string>();
        using var client = Client(server, log, clientLogin: "agency-client-7");

        var error = await Assert.ThrowsAsync<YandexDirectAuthException>(() => client.CheckAccessAsync());

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal("8391647215", error.RequestId);
        Assert.StartsWith($"Yandex Direct POST campaigns: error {code} {text}", error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Single(server.Requests);
        Assert.DoesNotContain(log, line => line.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Error_54_without_a_login_says_to_set_one()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("reports", _ => Answer.Error(400, 54, "Нет прав"));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<YandexDirectAuthException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Contains("an agency's token needs YANDEX_DIRECT_CLIENT_LOGIN set to the advertiser's login", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spent_points_stop_the_run_for_the_next_one_to_continue()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("ads", _ => Answer.Error(200, 152, "Недостаточно баллов"));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<YandexDirectPointsException>(() => client.ListAdsAsync([1, 2]));

        Assert.Equal(152, error.ErrorCode);
        Assert.Contains("the next run continues once they are replenished", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_wrong_base_path_is_named()
    {
        await using var server = await ScriptedDirect.StartAsync();
        using var client = Client(server, baseUrl: new Uri(server.RootUrl, "json/v4/"));

        var error = await Assert.ThrowsAsync<YandexDirectException>(() => client.CheckAccessAsync());

        Assert.Contains("failed with HTTP 418", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_need_a_token_and_carry_the_rest()
    {
        var missing = Assert.Throws<ConfigurationException>(() => YandexDirectClientOptions.FromConfiguration(new YandexDirectOptions { ClientLogin = "x" }));
        var options = YandexDirectClientOptions.FromConfiguration(new YandexDirectOptions
        {
            Token = " t0ken ",
            ClientLogin = "  ",
            BaseUrl = new Uri("https://api-sandbox.direct.yandex.com/json/v5"),
            IncludeVat = false,
        });

        Assert.Contains("YANDEX_DIRECT_TOKEN", missing.Message, StringComparison.Ordinal);
        Assert.Equal("t0ken", options.Token);
        Assert.Null(options.ClientLogin);
        Assert.False(options.IncludeVat);
        Assert.Equal("https://api-sandbox.direct.yandex.com/json/v5/", options.Root.AbsoluteUri);
    }
}
