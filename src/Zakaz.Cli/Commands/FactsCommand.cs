using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;

namespace Zakaz.Cli.Commands;

internal static class FactsCommand
{
    internal static readonly Option<DateOnly?> From = CliOptions.Date("--from", "First business date, yyyy-MM-dd (with --to; default: every date in staging)");
    internal static readonly Option<DateOnly?> To = CliOptions.Date("--to", "Last business date, yyyy-MM-dd");

    private const string RebuildJob = "facts.rebuild";

    public static async Task<int> RebuildAsync(CliContext context)
    {
        var (from, to) = context.Dates(From, To);
        if (from.HasValue != to.HasValue)
        {
            throw new UsageException("--from and --to go together: give both, or neither to rebuild every date in staging.");
        }

        await using var store = context.OpenStore();
        var facts = new FactBuilder(store);
        var result = await new JobRunLog(store).RecordAsync(RebuildJob,
            token => from is { } first && to is { } last ? facts.RebuildAsync(first, last, token) : facts.RebuildAllAsync(token),
            result => new RunSummary(result.RowsWritten, new
            {
                ranges = result.Ranges.Select(r => r.ToString()),
                version = result.Version,
                tables = result.Tables.ToDictionary(t => t.Table, t => new { rows = t.Rows, zeroed = t.ZeroRows }),
            }));

        if (result.Ranges.Count == 0)
        {
            await context.Out.WriteLineAsync("Nothing to rebuild: staging holds no sales and no ad statistics.");
            return ZakazCli.Ok;
        }
        var dates = string.Join(", ", result.Ranges);
        foreach (var table in result.Tables)
        {
            await context.Out.WriteLineAsync($"{table.Table}: {table.Rows} row(s) written for {dates}, {table.ZeroRows} of them zeroed");
        }
        return ZakazCli.Ok;
    }
}
