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
        var table = await SheetErrors.ReadCsvAsync(context.Get(CsvFile), "plan", "sales_date,event_id,city,plan_tickets,plan_revenue");
        await using var store = context.OpenStore();
        if (await SheetErrors.ImportAsync(context.Error, () => new PlanImport(store).RunAsync(table)) is not { } result)
        {
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
    /// <summary>FILE.csv as a table; a missing file is an error that lists the <paramref name="columns"/> it should have.</summary>
    public static async Task<SheetTable> ReadCsvAsync(string path, string what, string columns) => File.Exists(path)
        ? CsvText.Parse(Path.GetFileName(path), CsvText.Decode(await File.ReadAllBytesAsync(path)))
        : throw new IOException($"The {what} file {path} does not exist: give the path of a CSV file ({columns}).");

    /// <summary>Runs <paramref name="import"/>; a bad table is reported as <see cref="WriteAsync"/> does and gives null.</summary>
    public static async Task<T?> ImportAsync<T>(TextWriter error, Func<Task<T>> import)
        where T : class
    {
        try
        {
            return await import();
        }
        catch (Exception e) when (e is BadRowsException or SheetFormatException)
        {
            await WriteAsync(error, e);
            return null;
        }
    }

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
