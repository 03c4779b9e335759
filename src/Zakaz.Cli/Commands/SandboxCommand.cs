using System.Globalization;
using System.Runtime.InteropServices;
using Zakaz.Cli.CommandLine;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Cli.Commands;

/// <summary>Local stand-ins for the outside APIs, run in the foreground until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static async Task<int> QticketsAsync(CliContext context)
    {
        Invocation invocation = context.Invocation;
        var options = new QticketsSandboxOptions
        {
            Port = Int32(invocation, "port", 0),
            Seed = Int32(invocation, "seed", 1),
            Orders = Int32(invocation, "orders", 20_000),
            Token = invocation.Value("token"),
            Latency = TimeSpan.FromMilliseconds(Int32(invocation, "latency-ms", 0)),
        };
        return await ForegroundAsync(async stop =>
        {
            await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(options, stop);
            TextWriter output = context.Out;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Qtickets sandbox: {sandbox.OrderCount:N0} orders, {sandbox.EventCount} events (seed {options.Seed}), now is {sandbox.Anchor:yyyy-MM-dd HH:mm zzz}"));
            await output.WriteLineAsync($"QTICKETS_BASE_URL={sandbox.BaseUrl}");
            await output.WriteLineAsync($"QTICKETS_TOKEN={sandbox.Token}");
            await output.WriteLineAsync($"Ground truth: {sandbox.TruthUrl}");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync();
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        });
    }

    public static async Task<int> VkAdsAsync(CliContext context)
    {
        Invocation invocation = context.Invocation;
        var options = new VkAdsSandboxOptions
        {
            Port = Int32(invocation, "port", 0),
            Seed = Int32(invocation, "seed", 1),
            Orders = Int32(invocation, "orders", 20_000),
            ClientSecret = invocation.Value("client-secret"),
            TokenLifetime = TimeSpan.FromSeconds(Int32(invocation, "token-lifetime-s", 86_400)),
            Anchor = invocation.Value("anchor") is { } anchor
                ? DateTimeOffset.TryParse(anchor, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at)
                    ? at
                    : throw new UsageException($"--anchor needs an ISO 8601 time such as 2025-04-01T09:00:00+03:00, not '{anchor}'.")
                : null,
        };
        return await ForegroundAsync(async stop =>
        {
            await using VkAdsSandbox sandbox = await VkAdsSandbox.StartAsync(options, stop);
            TextWriter output = context.Out;
            (DateOnly from, DateOnly to) = sandbox.SpendDays;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"VK Ads sandbox: {sandbox.CampaignCount} campaigns, {sandbox.BannerCount} banners with spend from {from:yyyy-MM-dd} to {to:yyyy-MM-dd} (seed {options.Seed}, {options.Orders:N0} orders), now is {sandbox.Anchor:yyyy-MM-dd HH:mm zzz}"));
            await output.WriteLineAsync($"VK_ADS_BASE_URL={sandbox.BaseUrl}");
            await output.WriteLineAsync($"VK_ADS_CLIENT_ID={sandbox.ClientId}");
            await output.WriteLineAsync($"VK_ADS_CLIENT_SECRET={sandbox.ClientSecret}");
            await output.WriteLineAsync($"Ground truth: {sandbox.TruthUrl}");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync();
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        });
    }

    /// <summary>Serves until Ctrl+C or SIGTERM (how a service manager or <c>timeout</c> stops us), then shuts down cleanly.</summary>
    private static async Task<int> ForegroundAsync(Func<CancellationToken, Task> serve)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await serve(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while still generating.
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return ZakazCli.Ok;
    }

    private static int Int32(Invocation invocation, string name, int fallback)
    {
        long value = invocation.Int64(name, fallback);
        return value <= int.MaxValue ? (int)value : throw new UsageException($"--{name} is too large.");
    }
}
