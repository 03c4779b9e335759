namespace Zakaz.Cli.Commands;

internal static class QueryCommand
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TSV"] = "TabSeparated",
        ["TSVWithNames"] = "TabSeparatedWithNames",
        ["JSON"] = "JSON",
        ["Pretty"] = "PrettyCompact",
    };

    public static async Task<int> RunAsync(CliContext context)
    {
        var sql = context.Invocation.Arguments[0];
        var requested = context.Invocation.Value("format") ?? (Console.IsOutputRedirected ? "TSV" : "PrettyCompact");
        var format = Aliases.GetValueOrDefault(requested, requested);
        if (format.Length == 0 || !format.All(char.IsAsciiLetterOrDigit))
        {
            throw new CommandLine.UsageException($"--format '{requested}' is not a ClickHouse format name.");
        }
        await using var store = context.OpenStore();
        await using var stdout = Console.OpenStandardOutput();
        await context.Out.FlushAsync();
        await store.QueryToStreamAsync(sql, format, stdout);
        return ZakazCli.Ok;
    }
}
