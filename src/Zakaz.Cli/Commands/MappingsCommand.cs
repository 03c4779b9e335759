using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.VkAds;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz mappings import|export|apply</c>: the campaign mapping rules of <c>zakaz.map_campaigns</c> as a CSV that
/// marketing edits in a spreadsheet, and re-applying them to the stored ad statistics without downloading them again.
/// </summary>
internal static class MappingsCommand
{
    public static async Task<int> ImportAsync(CliContext context)
    {
        var path = context.Invocation.Arguments[0];
        if (!File.Exists(path))
        {
            throw new IOException($"The rules file {path} does not exist: give the path of a CSV file ({string.Join(',', CampaignRules.Columns.Select(c => c.Name))}).");
        }
        var table = CsvText.Parse(Path.GetFileName(path), CsvText.Decode(await File.ReadAllBytesAsync(path)));
        await using var store = context.OpenStore();
        var rules = new CampaignRules(store);
        IReadOnlyList<MappingRule> imported;
        try
        {
            imported = await rules.ImportAsync(table);
        }
        catch (Exception e) when (e is BadRowsException or SheetFormatException)
        {
            await SheetErrors.WriteAsync(context.Error, e);
            return ZakazCli.Failure;
        }
        await context.Out.WriteLineAsync($"{VkAdsTables.Rules}: {imported.Count} rule(s) from {table.Source} ({imported.Count(r => r.Active)} active); rules missing from the file were deactivated");
        await WriteAppliedAsync(context, await rules.ApplyAsync());
        return ZakazCli.Ok;
    }

    public static async Task<int> ExportAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var rules = new CampaignRules(store);
        if (context.Invocation.Value("out") is { } path)
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
        var from = context.Invocation.Date("from");
        var to = context.Invocation.Date("to");
        if (from > to)
        {
            throw new UsageException($"--from {context.Invocation.Value("from")} is after --to {context.Invocation.Value("to")}.");
        }
        await using var store = context.OpenStore();
        await WriteAppliedAsync(context, await new CampaignRules(store).ApplyAsync(from, to));
        return ZakazCli.Ok;
    }

    private static Task WriteAppliedAsync(CliContext context, MappingApplyResult applied) =>
        context.Out.WriteLineAsync(applied.RowsChanged == 0
            ? $"{VkAdsTables.Daily}: every stored row already has the city and event the rules give it"
            : $"{VkAdsTables.Daily}: {applied.RowsChanged} row(s) given another city or event; {FactBuilder.VkAdsDaily} rebuilt for {string.Join(", ", applied.RebuiltRanges)}");
}
