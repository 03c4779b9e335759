using System.CommandLine;
using Zakaz.Cli.CommandLine;
namespace Zakaz.Cli.Commands;

internal static class QueryCommand
{
    internal static readonly Argument<string> Sql = CliOptions.Argument("sql", "\"SQL\"");
    internal static readonly Option<string?> Format = CliOptions.Text("--format", "FORMAT", "TSV, CSV, JSONEachRow, PrettyCompact or any ClickHouse output format (default: PrettyCompact on a terminal, TSV otherwise)");

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TSV"] = "TabSeparated",
        ["TSVWithNames"] = "TabSeparatedWithNames",
        ["JSON"] = "JSON",
        ["Pretty"] = "PrettyCompact",
    };

    public static async Task<int> RunAsync(CliContext context)
    {
        var sql = context.Get(Sql);
        var requested = context.Get(Format) ?? (Console.IsOutputRedirected ? "TSV" : "PrettyCompact");
        var format = Aliases.GetValueOrDefault(requested, requested);
        if (format.Length == 0 || !format.All(char.IsAsciiLetterOrDigit))
        {
            throw new UsageException($"--format '{requested}' is not a ClickHouse format name.");
        }
        await using var store = context.OpenStore();
        await using var stdout = Console.OpenStandardOutput();
        await context.Out.FlushAsync();
        await store.QueryToStreamAsync(sql, format, stdout);
        return ZakazCli.Ok;
    }
}
