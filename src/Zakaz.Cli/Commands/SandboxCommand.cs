using System.Globalization;
using System.Runtime.InteropServices;
using Zakaz.Cli.CommandLine;
using Zakaz.Sandbox.Qtickets;

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
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // A service manager or `timeout` stops us with SIGTERM; shut the server down the same way as on Ctrl+C.
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(options, stop.Token);
            TextWriter output = context.Out;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Qtickets sandbox: {sandbox.OrderCount:N0} orders, {sandbox.EventCount} events (seed {options.Seed}), now is {sandbox.Anchor:yyyy-MM-dd HH:mm zzz}"));
            await output.WriteLineAsync($"QTICKETS_BASE_URL={sandbox.BaseUrl}");
            await output.WriteLineAsync($"QTICKETS_TOKEN={sandbox.Token}");
            await output.WriteLineAsync($"Ground truth: {sandbox.TruthUrl}");
            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync();
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
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
