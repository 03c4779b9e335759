using Zakaz.Configuration;
using Zakaz.Notifications.Telegram;
using Zakaz.Sandbox.Telegram;
using Zakaz.Testing;

namespace Zakaz.Notifications.Tests;

/// <summary>The Telegram channel over real HTTP against the Bot API stand-in.</summary>
public class TelegramChannelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_notification_reaches_every_chat_as_escaped_html_without_link_previews()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        var channel = Channel(telegram, "100200300, @zakaz_alerts");

        await channel.SendAsync(new Notification("Загрузка <Qtickets> упала", "ошибка: 5 < 6 & \"так\""));

        Assert.Equal(["100200300", "@zakaz_alerts"], telegram.Messages.Select(m => m.Chat));
        Assert.All(telegram.Messages, m =>
        {
            Assert.Equal("HTML", m.ParseMode);
            Assert.Equal("<b>Загрузка &lt;Qtickets&gt; упала</b>\nошибка: 5 &lt; 6 &amp; \"так\"", m.Text);
        });
        Assert.Equal(["100200300", "@zakaz_alerts"], ((TelegramChannel)channel).ChatIds);
    }

    [Fact]
    public async Task A_message_over_4096_characters_arrives_as_several_valid_messages_in_order()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        var channel = Channel(telegram, "100200300");
        var body = string.Join('\n', Enumerable.Range(1, 300).Select(i => $"{i:000} <b>не тег</b> & {new string('я', i % 50)}"));

        await channel.SendAsync(new Notification("Сводка", body));

        var messages = telegram.Messages;
        Assert.True(messages.Count >= 3, $"{messages.Count} messages");
        Assert.All(messages, m => Assert.True(m.Text.Length <= 4096));
        var rejoined = string.Join('\n', messages.Select(m => m.Text))["<b>Сводка</b>\n".Length..];
        Assert.Equal(TelegramHtml.Escape(body), rejoined);
    }

    [Fact]
    public async Task Flood_control_is_waited_out_for_exactly_retry_after_on_the_clock_then_the_message_is_resent()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        var clock = new TestClock();
        var channel = Channel(telegram, "100200300", clock);
        telegram.RateLimitNext(1, retryAfterSeconds: 42);

        var sending = channel.SendAsync(new Notification("Алерт", "текст"));
        await clock.WaitStartedAsync(TimeSpan.FromSeconds(42)).WaitAsync(Patience);
        clock.Advance(TimeSpan.FromSeconds(41));

        Assert.Equal(1, telegram.Requests);
        Assert.Empty(telegram.Messages);
        Assert.False(sending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await sending.WaitAsync(Patience);
        Assert.Equal(2, telegram.Requests);
        Assert.Single(telegram.Messages);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_until_the_message_goes_through_and_the_log_never_shows_the_token()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        var clock = new TestClock(autoAdvanceBelow: TimeSpan.FromSeconds(20));
        var log = new List<string>();
        using var loggers = TestLogs.Into(log);
        var channel = Assert.Single(NotificationChannels.Create(
            new ChannelOptions { TelegramBotToken = telegram.Token, TelegramChatId = "100200300", TelegramApiUrl = telegram.ApiUrl }, clock, loggers));
        telegram.FailNext(2, 502);

        await channel.SendAsync(new Notification("Алерт", "текст")).WaitAsync(Patience);

        Assert.Equal(3, telegram.Requests);
        Assert.Single(telegram.Messages);
        Assert.Equal(2, clock.Waits.Count(w => w < TimeSpan.FromSeconds(20)));
        Assert.Equal(2, log.Count(l => l.StartsWith("Telegram sendMessage: HTTP 502; attempt ", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.StartsWith("Telegram: delivered 'Алерт' to chat 100200300", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains(telegram.Token, StringComparison.Ordinal) || l.Contains(telegram.Token.Split(':')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_chat_fails_with_telegrams_description_and_the_fix_while_the_other_chat_still_gets_it()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        var channel = Channel(telegram, "100200300,555");

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(new Notification("Алерт", "текст")));

        Assert.Contains("delivered to 1 of 2 chats", failure.Message, StringComparison.Ordinal);
        Assert.Contains("chat 555: Bad Request: chat not found", failure.Message, StringComparison.Ordinal);
        Assert.Contains("check ZAKAZ_ALERTS_TELEGRAM_CHAT_ID and that the bot was added to the chat", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(telegram.Token, failure.ToString(), StringComparison.Ordinal);
        Assert.Equal("100200300", Assert.Single(telegram.Messages).Chat);
    }

    [Fact]
    public async Task A_wrong_token_fails_once_naming_the_setting_and_never_the_token()
    {
        await using var telegram = await TelegramSandbox.StartAsync();
        const string wrong = "123456:not-the-token-of-this-bot";
        var channel = Single(new ChannelOptions { TelegramBotToken = wrong, TelegramChatId = "100200300,@zakaz_alerts", TelegramApiUrl = telegram.ApiUrl });

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(new Notification("Алерт", "текст")));

        Assert.StartsWith("Telegram refused the bot token (HTTP 401: Unauthorized): check ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, telegram.Requests);
        Assert.DoesNotContain(wrong, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_that_does_not_answer_fails_after_the_retries_without_the_token_in_the_message()
    {
        int port;
        await using (var gone = await TelegramSandbox.StartAsync())
        {
            port = gone.ApiUrl.Port;
        }
        var clock = new TestClock(autoAdvanceBelow: TimeSpan.FromSeconds(20));
        const string token = "777:secret-token-value";
        var channel = Single(new ChannelOptions { TelegramBotToken = token, TelegramChatId = "1", TelegramApiUrl = new Uri($"http://127.0.0.1:{port}/") }, clock);

        var failure = await Assert.ThrowsAsync<NotificationException>(() => channel.SendAsync(new Notification("Алерт", "текст")).WaitAsync(Patience));

        Assert.StartsWith("Telegram sendMessage: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("check ZAKAZ_ALERTS_TELEGRAM_API_URL", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", failure.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, clock.Waits.Count(w => w < TimeSpan.FromSeconds(20)));
    }

    [Theory]
    [InlineData("123:abc", null, "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID is not set")]
    [InlineData(null, "100200300", "ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN is not set")]
    [InlineData("123:abc", "100200300,channel_without_at", "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID has 'channel_without_at'")]
    public void A_half_configured_bot_is_a_configuration_error_naming_the_variable(string? token, string? chats, string expected)
    {
        var failure = Assert.Throws<ConfigurationException>(() => NotificationChannels.Create(new ChannelOptions { TelegramBotToken = token, TelegramChatId = chats }));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_configured_means_no_channels()
    {
        Assert.Empty(NotificationChannels.Create(new ChannelOptions()));
    }

    private static INotificationChannel Channel(TelegramSandbox telegram, string chats, TimeProvider? clock = null) =>
        Single(new ChannelOptions { TelegramBotToken = telegram.Token, TelegramChatId = chats, TelegramApiUrl = telegram.ApiUrl }, clock);

    private static INotificationChannel Single(ChannelOptions options, TimeProvider? clock = null)
    {
        var channel = Assert.Single(NotificationChannels.Create(options, clock));
        Assert.Equal("telegram", channel.Name);
        return channel;
    }
}
