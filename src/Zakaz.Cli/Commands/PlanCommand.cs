using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Plans;
using Zakaz.Pipeline.Sheets;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz plan import FILE.csv</c>: a sales plan from a spreadsheet into zakaz.plan_sales, all rows or none.</summary>
internal static class PlanCommand
{
    internal static readonly Argument<string> CsvFile = CliOptions.Argument("file", "FILE.csv");

    public static async Task<int> ImportAsync(CliContext context)
    {
        var path = context.Get(CsvFile);
        if (!File.Exists(path))
        {
            throw new IOException($"The plan file {path} does not exist: give the path of a CSV file (sales_date,event_id,city,plan_tickets,plan_revenue).");
        }
        var table = CsvText.Parse(Path.GetFileName(path), CsvText.Decode(await File.ReadAllBytesAsync(path)));
        await using var store = context.OpenStore();
        PlanImportResult result;
        try
        {
            result = await new PlanImport(store).RunAsync(table);
        }
        catch (Exception e) when (e is BadRowsException or SheetFormatException)
        {
            await SheetErrors.WriteAsync(context.Error, e);
            return ZakazCli.Failure;
        }
        await context.Out.WriteLineAsync(Describe(result));
        return ZakazCli.Ok;
    }

    internal static string Describe(PlanImportResult result) => result.Dates is { } dates
        ? $"{PlanImport.Table}: wrote {result.Rows} plan row(s) for {dates} from {result.Source}" +
          (result.Zeroed > 0 ? $"; {result.Zeroed} earlier row(s) of the same events and dates that it no longer has were zeroed" : "")
        : $"{PlanImport.Table}: {result.Source} has no plan rows; nothing was written";
}

/// <summary>How a bad table is reported: one line per bad row (<c>source:line: reason</c>), then the one-line error.</summary>
internal static class SheetErrors
{
    public static async Task WriteAsync(TextWriter error, Exception e)
    {
        if (e is BadRowsException bad)
        {
            foreach (var row in bad.Rows)
            {
                await error.WriteLineAsync($"{bad.Table}:{row.Line}: {row.Reason}");
            }
            await error.WriteLineAsync($"zakaz: error: {bad.Table} has {bad.Rows.Count} bad row(s) (listed above); nothing was imported. Fix them and import again.");
            return;
        }
        await error.WriteLineAsync($"zakaz: error: {e.Message.ReplaceLineEndings(" ")}");
    }
}
