using System.Text.Json;
using Zakaz.Bench;

namespace Zakaz.Cli.Commands;

internal static class BenchCommand
{
    public static async Task<int> InsertAsync(CliContext context)
    {
        var rows = context.Invocation.Int64("rows", 1_000_000);
        var rssRows = context.Invocation.Int64("rss-rows", 10_000_000);
        var error = context.Error;
        var benchmark = new InsertBenchmark(rows, rssRows, line => error.WriteLine("bench: " + line),
            (label, total) => ConsoleProgress.Start(error, label, total));
        var result = await benchmark.RunAsync();
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result));
        return ZakazCli.Ok;
    }
}
