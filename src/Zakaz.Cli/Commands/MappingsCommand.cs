using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Sheets;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz mappings import|export|apply</c>: the campaign mapping rules of <c>zakaz.map_campaigns</c> as a CSV that
/// marketing edits in a spreadsheet, and re-applying them to the stored ad statistics without downloading them again.
/// </summary>
internal static class MappingsCommand
{
    internal static readonly Argument<string> CsvFile = CliOptions.Argument("file", "FILE.csv");
    internal static readonly Option<string?> Out = CliOptions.Text("--out", "FILE", "Write the CSV to FILE instead of stdout");
    internal static readonly Option<DateOnly?> From = CliOptions.Date("--from", "First statistics day, yyyy-MM-dd (default: all)");
    internal static readonly Option<DateOnly?> To = CliOptions.Date("--to", "Last statistics day, yyyy-MM-dd (default: all)");

    public static async Task<int> ImportAsync(CliContext context)
    {
        var columns = string.Join(',', CampaignRules.Columns.Select(c => c.Name));
        var table = await SheetErrors.ReadCsvAsync(context.Get(CsvFile), "rules", columns);
        await using var store = context.OpenStore();
        var rules = new CampaignRules(store);
        if (await SheetErrors.ImportAsync(context.Error, () => rules.ImportAsync(table)) is not { } imported)
        {
            return ZakazCli.Failure;
        }
        await context.Out.WriteLineAsync($"{CampaignRules.Table}: {imported.Count} rule(s) from {table.Source} ({imported.Count(r => r.Active)} active); rules missing from the file were deactivated");
        await WriteAppliedAsync(context, await rules.ApplyAsync());
        return ZakazCli.Ok;
    }

    public static async Task<int> ExportAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var rules = new CampaignRules(store);
        if (context.Get(Out) is { } path)
        {
            await using var file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await rules.ExportAsync(file);
            await context.Error.WriteLineAsync($"Rules written to {path}");
        }
        else
        {
            await rules.ExportAsync(context.Out);
        }
        return ZakazCli.Ok;
    }

    public static async Task<int> ApplyAsync(CliContext context)
    {
        var (from, to) = context.Dates(From, To);
        await using var store = context.OpenStore();
        await WriteAppliedAsync(context, await new CampaignRules(store).ApplyAsync(from, to));
        return ZakazCli.Ok;
    }

    private static Task WriteAppliedAsync(CliContext context, MappingApplyResult applied) =>
        context.Out.WriteLineAsync(applied.RowsChanged == 0
            ? "Ad statistics: every stored row already has the city and event the rules give it"
            : $"Ad statistics: {applied.RowsChanged} row(s) given another city or event; {FactBuilder.AdsDaily} rebuilt for {string.Join(", ", applied.RebuiltRanges)}");
}
