using Microsoft.Extensions.DependencyInjection;

namespace Zakaz.Notifications.Tests;

public class RegistrationTests
{
    [Fact]
    public void A_host_gets_exactly_the_configured_channels_as_its_INotificationChannel_services()
    {
        var both = new ChannelOptions
        {
            TelegramBotToken = "1:token",
            TelegramChatId = "100200300",
            SmtpHost = "smtp.example.ru",
            SmtpFrom = "zakaz@example.ru",
            SmtpTo = "owner@example.ru",
        };

        Assert.Equal(["telegram", "email"], Channels(both).Select(c => c.Name));
        Assert.Equal(["email"], Channels(new ChannelOptions { SmtpHost = "smtp.example.ru", SmtpFrom = "zakaz@example.ru", SmtpTo = "owner@example.ru" }).Select(c => c.Name));
        Assert.Empty(Channels(new ChannelOptions()));
    }

    private static List<INotificationChannel> Channels(ChannelOptions options)
    {
        using var services = new ServiceCollection().AddNotificationChannels(_ => options).BuildServiceProvider();
        return [.. services.GetServices<INotificationChannel>()];
    }
}
