using Zakaz.Notifications;
using Zakaz.Notifications.Email;
using Zakaz.Notifications.Telegram;
using Zakaz.Operations.Alerts;
using Zakaz.Pipeline.Reports;
using Zakaz.Web.Scheduling;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz alerts</c>: the channels alerts and the digest go through, and the alerts themselves.</summary>
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

    /// <summary>The firing alerts and those resolved in the last week, as bi.v_ops_alerts has them; what is wrong is in Russian, as it was sent.</summary>
    public static async Task<int> ListAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var alerts = await new AlertHistory(store).RecentAsync();
        if (alerts.Count == 0)
        {
            await context.Out.WriteLineAsync($"No alert is firing, and none resolved in the last {AlertHistory.RecentDays} days.");
            return ZakazCli.Ok;
        }
        foreach (var alert in alerts)
        {
            var when = alert.ResolvedAt is { } resolved ? $"{Moscow(alert.StartedAt)} to {Moscow(resolved)}" : $"since {Moscow(alert.StartedAt)}";
            var deliveries = alert.FailedDeliveries == 0 ? $"{alert.Notifications} sent"
                : $"{alert.Notifications} sent, {alert.FailedDeliveries} failed (last: {alert.LastError})";
            await context.Out.WriteLineAsync($"{alert.Status,-8}  {alert.Alert}  {when}  {deliveries}");
            await context.Out.WriteLineAsync($"          {alert.Summary}");
        }
        return ZakazCli.Ok;
    }

    private static string Moscow(DateTimeOffset instant) => RussianFormat.MoscowTime(instant) + " MSK";

    private static string Delivered(INotificationChannel channel) => channel switch
    {
        TelegramChannel telegram => $"delivered to {telegram.ChatIds.Count} chat(s)",
        EmailChannel email => $"delivered to {email.Recipients.Count} recipient(s)",
        _ => "delivered",
    };
}
