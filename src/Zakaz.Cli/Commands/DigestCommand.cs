using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Notifications;
using Zakaz.Operations.Digest;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz digest show|send</c>: the morning digest of a day (default yesterday in Moscow), printed, or sent now to every
/// configured channel with one line per channel; a send is recorded as a <c>digest.send</c> run like the scheduled one.
/// </summary>
internal static class DigestCommand
{
    internal static readonly Option<DateOnly?> Date = CliOptions.Date("--date", "The day of the digest, yyyy-MM-dd (default: yesterday in Moscow)");

    public static async Task<int> ShowAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var sender = new MorningDigestSender(store, [], context.Options.Dashboard.PublicUrl, context.Time);
        var (_, message) = await sender.BuildAsync(context.Get(Date) ?? sender.Yesterday);
        await context.Out.WriteLineAsync(message.Subject);
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync(message.Body);
        return ZakazCli.Ok;
    }

    /// <summary>Exit 1 when no channel is configured or any channel failed; the others still get the digest.</summary>
    public static async Task<int> SendAsync(CliContext context)
    {
        var channels = NotificationChannels.Create(context.Options.Channels, context.Time, context.Loggers);
        try
        {
            if (channels.Count == 0)
            {
                await context.Error.WriteLineAsync("zakaz: no channel to send the digest to: set ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN and " +
                    "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID for Telegram, or ZAKAZ_ALERTS_SMTP_HOST and ZAKAZ_ALERTS_SMTP_TO for e-mail.");
                return ZakazCli.Failure;
            }
            await using var store = context.OpenStore();
            var sender = new MorningDigestSender(store, channels, context.Options.Dashboard.PublicUrl, context.Time);
            var delivery = await sender.SendAsync(context.Get(Date) ?? sender.Yesterday);
            foreach (var channel in delivery.Channels)
            {
                await context.Out.WriteLineAsync(channel.Delivered
                    ? $"{channel.Channel}: delivered the digest of {delivery.Date:yyyy-MM-dd}"
                    : $"{channel.Channel}: FAILED: {channel.Error}");
            }
            return delivery.AllDelivered ? ZakazCli.Ok : ZakazCli.Failure;
        }
        finally
        {
            foreach (var channel in channels.OfType<IDisposable>())
            {
                channel.Dispose();
            }
        }
    }
}
