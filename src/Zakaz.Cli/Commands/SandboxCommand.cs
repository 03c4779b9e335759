using System.CommandLine;
using System.Runtime.InteropServices;
using Zakaz.Cli.CommandLine;
using Zakaz.Sandbox;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.Smtp;
using Zakaz.Sandbox.Telegram;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Cli.Commands;

/// <summary>Local stand-ins for the outside APIs, run in the foreground until Ctrl+C.</summary>
internal static class SandboxCommand
{
    internal static readonly Option<long> Port = CliOptions.WholeNumber("--port", "P", "Port (default: a free one)", 0);
    internal static readonly Option<long> Seed = CliOptions.WholeNumber("--seed", "S", "Seed of the generated promoter (default 1)", 1);
    internal static readonly Option<long> QticketsOrders = CliOptions.WholeNumber("--orders", "N", "Orders to generate (default 20,000)", 20_000);
    internal static readonly Option<string?> Token = CliOptions.Text("--token", "T", "Bearer token to accept (default: a random one)");
    internal static readonly Option<long> LatencyMs = CliOptions.WholeNumber("--latency-ms", "MS", "Delay added to every API request (default 0)", 0);
    internal static readonly Option<long> VkAdsSeed = CliOptions.WholeNumber("--seed", "S", "Seed of the generated promoter, as for the Qtickets sandbox (default 1)", 1);
    internal static readonly Option<long> VkAdsOrders = CliOptions.WholeNumber("--orders", "N", "Orders of the Qtickets sandbox it advertises for (default 20,000)", 20_000);
    internal static readonly Option<string?> Anchor = CliOptions.Text("--anchor", "TIME", "\"Now\" of the generated data, ISO 8601 (default: the current minute); give the Qtickets sandbox's to match it");
    internal static readonly Option<string?> ClientSecret = CliOptions.Text("--client-secret", "SECRET", "Client secret to accept (default: a random one)");
    internal static readonly Option<long> TokenLifetime = CliOptions.WholeNumber("--token-lifetime-s", "N", "Seconds an access token lives (default 86,400)", 86_400);
    internal static readonly Option<string?> AgencyLogin = CliOptions.Text("--agency-login", "L", "Make the token an agency's: every call must send Client-Login L");
    internal static readonly Option<string?> BotToken = CliOptions.Text("--token", "T", "Bot token to accept (default: a random test token, printed)");
    internal static readonly Option<string?> SmtpUser = CliOptions.Text("--user", "U", "Login to require (AUTH PLAIN or LOGIN), with --password (default: none)");
    internal static readonly Option<string?> SmtpPassword = CliOptions.Text("--password", "P", "Password of --user");

    public static async Task<int> QticketsAsync(CliContext context)
    {
        var options = new QticketsSandboxOptions
        {
            Port = Int32(context, Port),
            Seed = Int32(context, Seed),
            Orders = Int32(context, QticketsOrders),
            Token = context.Get(Token),
            Latency = TimeSpan.FromMilliseconds(Int32(context, LatencyMs)),
        };
        return await ForegroundAsync(context, stop => QticketsSandbox.StartAsync(options, stop), sandbox =>
        [
            string.Create(CultureInfo.InvariantCulture,
                $"Qtickets sandbox: {sandbox.OrderCount:N0} orders, {sandbox.EventCount} events (seed {options.Seed}), now is {sandbox.Anchor:yyyy-MM-dd HH:mm zzz}"),
            $"QTICKETS_BASE_URL={sandbox.BaseUrl}",
            $"QTICKETS_TOKEN={sandbox.Token}",
            $"Ground truth: {sandbox.TruthUrl}",
        ]);
    }

    public static Task<int> VkAdsAsync(CliContext context) => AdPlatformAsync(context, "VK Ads", new VkAdsSandboxOptions
    {
        ClientSecret = context.Get(ClientSecret),
        TokenLifetime = TimeSpan.FromSeconds(Int32(context, TokenLifetime)),
    }, VkAdsSandbox.StartAsync, sandbox => $"{sandbox.BannerCount} banners", sandbox =>
    [
        $"VK_ADS_BASE_URL={sandbox.BaseUrl}",
        $"VK_ADS_CLIENT_ID={sandbox.ClientId}",
        $"VK_ADS_CLIENT_SECRET={sandbox.ClientSecret}",
    ]);

    public static Task<int> YandexDirectAsync(CliContext context) => AdPlatformAsync(context, "Yandex Direct", new YandexDirectSandboxOptions
    {
        Token = context.Get(Token),
        AgencyLogin = context.Get(AgencyLogin),
    }, YandexDirectSandbox.StartAsync, sandbox => $"{sandbox.AdCount} ads", sandbox =>
    [
        $"YANDEX_DIRECT_BASE_URL={sandbox.BaseUrl}",
        $"YANDEX_DIRECT_TOKEN={sandbox.Token}",
        .. context.Get(AgencyLogin) is { } login ? [$"YANDEX_DIRECT_CLIENT_LOGIN={login}"] : Array.Empty<string>(),
    ]);

    public static Task<int> TelegramAsync(CliContext context)
    {
        var options = new TelegramSandboxOptions { Port = Int32(context, Port), Token = context.Get(BotToken) };
        return ForegroundAsync(context, stop => TelegramSandbox.StartAsync(options, stop), sandbox =>
        [
            $"Telegram Bot API sandbox: sendMessage and getMe for the chats {string.Join(", ", sandbox.Chats)}",
            $"ZAKAZ_ALERTS_TELEGRAM_API_URL={sandbox.ApiUrl}",
            // A token given on the command line may be a real one; only the sandbox's own test token is printed.
            $"ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN={(sandbox.TokenGenerated ? sandbox.Token : "(the --token given)")}",
            $"ZAKAZ_ALERTS_TELEGRAM_CHAT_ID={string.Join(',', sandbox.Chats)}",
        ], (sandbox, print) => sandbox.MessageReceived += message =>
            print($"telegram: message to {message.Chat} ({message.ParseMode ?? "plain"}):", message.Text));
    }

    public static Task<int> SmtpAsync(CliContext context)
    {
        var (user, password) = (context.Get(SmtpUser), context.Get(SmtpPassword));
        if ((user is null) != (password is null))
        {
            throw new UsageException("Give --user and --password together, or neither.");
        }
        // Plain SMTP: its self-signed certificate would (rightly) fail any client's check, and no setting turns that check off.
        var options = new SmtpSandboxOptions { Port = Int32(context, Port), Security = SmtpSandboxSecurity.None, User = user, Password = password };
        return ForegroundAsync(context, stop => SmtpSandbox.StartAsync(options, stop), sandbox =>
        [
            $"SMTP sandbox: plain SMTP{(user is null ? "" : $", AUTH PLAIN/LOGIN as {user}")}, accepting any sender and recipients",
            $"ZAKAZ_ALERTS_SMTP_HOST={sandbox.Host}",
            $"ZAKAZ_ALERTS_SMTP_PORT={sandbox.Port}",
            "ZAKAZ_ALERTS_SMTP_SECURITY=none",
            .. user is null ? Array.Empty<string>() : [$"ZAKAZ_ALERTS_SMTP_USER={user}", "ZAKAZ_ALERTS_SMTP_PASSWORD=(the --password given)"],
            "ZAKAZ_ALERTS_SMTP_FROM=zakaz@example.ru",
            "ZAKAZ_ALERTS_SMTP_TO=owner@example.ru",
        ], (sandbox, print) => sandbox.MessageReceived += message =>
            print($"email: message from {message.From} to {string.Join(", ", message.To)}{(message.User is { } login ? $" (logged in as {login})" : "")}: {message.Subject}",
                message.Text));
    }

    /// <summary>
    /// An ad platform's sandbox for the promoter of <c>--seed</c>, <c>--orders</c> and <c>--anchor</c>: a summary of its
    /// spend, the <paramref name="settings"/> a sync needs to reach it, and where its ground truth is.
    /// </summary>
    private static async Task<int> AdPlatformAsync<TOptions, TSandbox>(CliContext context, string platform, TOptions platformOptions,
        Func<TOptions, CancellationToken, Task<TSandbox>> start, Func<TSandbox, string> ads, Func<TSandbox, IEnumerable<string>> settings)
        where TOptions : PromoterSandboxOptions
        where TSandbox : AdPlatformSandbox
    {
        var options = (TOptions)(platformOptions with
        {
            Port = Int32(context, Port),
            Seed = Int32(context, VkAdsSeed),
            Orders = Int32(context, VkAdsOrders),
            Anchor = AnchorOf(context),
        });
        return await ForegroundAsync(context, stop => start(options, stop), sandbox =>
        [
            string.Create(CultureInfo.InvariantCulture,
                $"{platform} sandbox: {sandbox.CampaignCount} campaigns, {ads(sandbox)} with spend from {sandbox.SpendDays.From:yyyy-MM-dd} to {sandbox.SpendDays.To:yyyy-MM-dd} (seed {options.Seed}, {options.Orders:N0} orders), now is {sandbox.Anchor:yyyy-MM-dd HH:mm zzz}"),
            .. settings(sandbox),
            $"Ground truth: {sandbox.TruthUrl}",
        ]);
    }

    /// <summary>
    /// Serves until Ctrl+C or SIGTERM (how a service manager or <c>timeout</c> stops us), then shuts down cleanly;
    /// <paramref name="follow"/> prints what arrives (a heading and an indented text), one entry at a time.
    /// </summary>
    private static async Task<int> ForegroundAsync<TSandbox>(CliContext context, Func<CancellationToken, Task<TSandbox>> start, Func<TSandbox, IEnumerable<string>> describe,
        Action<TSandbox, Action<string, string>>? follow = null)
        where TSandbox : IAsyncDisposable
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await using var sandbox = await start(stop.Token);
            foreach (var line in describe(sandbox).Append("Press Ctrl+C to stop."))
            {
                await context.Out.WriteLineAsync(line);
            }
            await context.Out.FlushAsync();
            var gate = new Lock();
            follow?.Invoke(sandbox, (heading, text) =>
            {
                lock (gate)
                {
                    context.Out.WriteLine(heading);
                    foreach (var line in text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
                    {
                        context.Out.WriteLine("  " + line);
                    }
                    context.Out.Flush();
                }
            });
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by a signal, while serving or still generating.
        }
        return ZakazCli.Ok;
    }

    private static DateTimeOffset? AnchorOf(CliContext context) => context.Get(Anchor) is { } anchor
        ? DateTimeOffset.TryParse(anchor, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at)
            ? at
            : throw new UsageException($"--anchor needs an ISO 8601 time such as 2025-04-01T09:00:00+03:00, not '{anchor}'.")
        : null;

    private static int Int32(CliContext context, Option<long> option)
    {
        long value = context.Get(option);
        return value <= int.MaxValue ? (int)value : throw new UsageException($"{option.Name} is too large.");
    }
}
