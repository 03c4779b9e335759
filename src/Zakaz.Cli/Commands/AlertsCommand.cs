using Zakaz.Notifications;
using Zakaz.Notifications.Email;
using Zakaz.Notifications.Telegram;
using Zakaz.Web.Scheduling;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz alerts</c>: the channels alerts and the digest go through.</summary>
internal static class AlertsCommand
{
    /// <summary>
    /// Sends one test message to every configured channel, all at once, and prints one line per channel in the
    /// configured order: delivered (to how many) or failed (why and what to do).
    /// </summary>
    public static async Task<int> TestAsync(CliContext context)
    {
        var channels = NotificationChannels.Create(context.Options.Channels, context.Time, context.Loggers);
        if (channels.Count == 0)
        {
            await context.Error.WriteLineAsync($"zakaz: error: no alert channel is configured: {NotificationChannels.HowToConfigure}.");
            return ZakazCli.Failure;
        }
        var now = TimeZoneInfo.ConvertTime(context.Time.GetUtcNow(), JobSchedule.Moscow);
        var message = new Notification("Zakaz: проверка уведомлений",
            string.Create(CultureInfo.InvariantCulture, $"Отправлено командой zakaz alerts test с {Environment.MachineName}, {now:dd.MM.yyyy HH:mm} по Москве."));
        var results = await Task.WhenAll(channels.Select(async channel =>
        {
            try
            {
                await channel.SendAsync(message);
                return (Ok: true, Line: $"{channel.Name}: {Delivered(channel)}");
            }
            catch (NotificationException e)
            {
                return (Ok: false, Line: $"{channel.Name}: failed: {e.Message.ReplaceLineEndings(" ")}");
            }
        }));
        foreach (var (_, line) in results)
        {
            await context.Out.WriteLineAsync(line);
        }
        return results.All(r => r.Ok) ? ZakazCli.Ok : ZakazCli.Failure;
    }

    private static string Delivered(INotificationChannel channel) => channel switch
    {
        TelegramChannel telegram => $"delivered to {telegram.ChatIds.Count} chat(s)",
        EmailChannel email => $"delivered to {email.Recipients.Count} recipient(s)",
        _ => "delivered",
    };
}
