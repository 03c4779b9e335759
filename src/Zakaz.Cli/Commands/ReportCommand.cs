using System.CommandLine;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Reports;
using Zakaz.Storage;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz report roi</c>: the marketing ROI table, as a Russian-formatted table for people or TSV, CSV, JSONEachRow for tools.</summary>
internal static class ReportCommand
{
    internal static readonly Option<DateOnly?> From = CliOptions.Date("--from", "First date, yyyy-MM-dd (default: the first with data)");
    internal static readonly Option<DateOnly?> To = CliOptions.Date("--to", "Last date, yyyy-MM-dd (default: the last with data)");
    internal static readonly Option<string> By = new("--by") { Description = "day, city (default), campaign (UTM source and campaign), event or source (ad platform)", HelpName = "GRAIN", DefaultValueFactory = _ => "city" };
    internal static readonly Option<string?> Source = CliOptions.Text("--source", "PLATFORM", "Count only this ad platform's spend and the sales tagged like its ads: vk_ads or yandex_direct");
    internal static readonly Option<string?> Format = CliOptions.Text("--format", "FORMAT", "PrettyCompact (Russian number notation; default on a terminal), TSV (default otherwise), CSV or JSONEachRow, the last three with column names");

    // Machine formats carry their column names, so a file opens in a spreadsheet with its header.
    private static readonly Dictionary<string, string> MachineFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TSV"] = "TabSeparatedWithNames",
        ["CSV"] = "CSVWithNames",
        ["JSONEachRow"] = "JSONEachRow",
    };

    public static async Task<int> RoiAsync(CliContext context)
    {
        var (from, to) = context.Dates(From, To);
        var by = context.Get(By);
        var grain = Enum.TryParse<RoiGrain>(by, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !by.All(char.IsAsciiDigit)
            ? parsed
            : throw new UsageException($"--by must be day, city, campaign, event or source, not '{by}'.");
        var source = context.Get(Source)?.Trim().ToLowerInvariant();
        if (source is not null && !AdSources.All.Contains(source))
        {
            throw new UsageException($"--source must be {string.Join(" or ", AdSources.All)}, not '{source}'.");
        }
        var format = context.Get(Format) ?? (Console.IsOutputRedirected ? "TSV" : "PrettyCompact");
        if (!format.Equals("PrettyCompact", StringComparison.OrdinalIgnoreCase) && !MachineFormats.ContainsKey(format))
        {
            throw new UsageException($"--format must be PrettyCompact, TSV, CSV or JSONEachRow, not '{format}'.");
        }

        var (sql, parameters) = RoiReport.Query(grain, from, to, source);
        await using var store = context.OpenStore();
        if (MachineFormats.TryGetValue(format, out var clickHouseFormat))
        {
            await context.Out.FlushAsync();
            await using var stdout = Console.OpenStandardOutput();
            await store.QueryToStreamAsync(sql, clickHouseFormat, stdout, parameters);
            return ZakazCli.Ok;
        }
        var result = await store.QueryAsync(sql, parameters);
        var period = (from, to) switch
        {
            (null, null) => "all dates",
            ({ } f, null) => $"from {f:yyyy-MM-dd}",
            (null, { } t) => $"through {t:yyyy-MM-dd}",
            ({ } f, { } t) => $"{f:yyyy-MM-dd}..{t:yyyy-MM-dd}",
        };
        await context.Out.WriteLineAsync($"Marketing ROI by {by.ToLowerInvariant()}{(source is null ? "" : $" for {source}")}, {period} (sale date against spend date; roubles)");
        await TerminalTable.WriteAsync(context.Out, result);
        return ZakazCli.Ok;
    }
}

/// <summary>A query result as a table for a person: numbers right-aligned in Russian notation (1 234 567,50), NULL as a dash, the last row set apart.</summary>
internal static class TerminalTable
{
    private static readonly NumberFormatInfo Russian = RussianFormat.Numbers;

    public static async Task WriteAsync(TextWriter output, QueryResult result)
    {
        var header = result.Columns.Select(c => c.Name).ToArray();
        var numeric = result.Columns.Select(c => IsNumber(c.Type)).ToArray();
        var cells = result.Rows.Select(row => row.Select(Format).ToArray()).ToArray();
        var widths = header.Select((h, c) => cells.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> row) =>
            string.Join("  ", row.Select((cell, c) => numeric[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();
        await output.WriteLineAsync(Line(header));
        await output.WriteLineAsync(string.Join("  ", widths.Select(w => new string('─', w))));
        for (var i = 0; i < cells.Length; i++)
        {
            if (i == cells.Length - 1 && cells.Length > 1)
            {
                await output.WriteLineAsync(string.Join("  ", widths.Select(w => new string('─', w))));
            }
            await output.WriteLineAsync(Line(cells[i]));
        }
    }

    private static bool IsNumber(ClickHouseType type) => (type.IsNullable ? type.Value.Inner! : type.Value).Kind
        is >= ClickHouseTypeKind.UInt8 and <= ClickHouseTypeKind.Float64 or ClickHouseTypeKind.Decimal;

    private static string Format(object? value) => value switch
    {
        null => "—",
        decimal money => money.ToString("N2", Russian),
        double ratio => ratio.ToString("N2", Russian),
        ulong or long or uint or int or ushort or short or byte => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("N0", Russian),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
