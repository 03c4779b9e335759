using System.CommandLine;
using System.Text.Encodings.Web;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Quality;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

/// <summary><c>zakaz db smoke</c>: the data-quality checks as a table or JSON; exit 1 when one fails.</summary>
internal static class SmokeCommand
{
    internal static readonly Option<bool> AsJson = CliOptions.Flag("--json", "Print the checks as a JSON array");

    // Thresholds read "<= 20 %": the default encoder would escape '<' for HTML, which this output never is.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(CliContext context)
    {
        await using var store = context.OpenStore();
        var pending = (await new MigrationRunner(store, MigrationSet.Embedded()).GetStatusAsync()).Pending.Count();
        if (pending > 0)
        {
            throw new MigrationException($"{store.Location} has {pending} pending migration(s): run 'zakaz db migrate' before checking its data.");
        }
        var results = await new DataQualityChecks(store).RunAsync();
        if (context.Get(AsJson))
        {
            var rows = results.Select(r => new { check = r.Check, value = r.Value, unit = r.Unit, threshold = r.Threshold, status = r.StatusWord, detail = r.Detail });
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(rows, Json));
        }
        else
        {
            await WriteTableAsync(context.Out, results);
        }
        return results.Any(r => r.Failed) ? ZakazCli.Failure : ZakazCli.Ok;
    }

    private static async Task WriteTableAsync(TextWriter output, IReadOnlyList<QualityCheckResult> results)
    {
        string[] header = ["check", "value", "threshold", "status", "detail"];
        var lines = results
            .Select(r => new[] { r.Check, r.Value is { } v ? $"{v.ToString(CultureInfo.InvariantCulture)} {r.Unit}" : "-", r.Threshold, r.StatusWord, r.Detail })
            .Prepend(header)
            .ToArray();
        var widths = Enumerable.Range(0, header.Length - 1).Select(c => lines.Max(l => l[c].Length)).ToArray();
        foreach (var line in lines)
        {
            await output.WriteLineAsync(string.Join("  ", line.Take(widths.Length).Select((cell, c) => cell.PadRight(widths[c])).Append(line[^1])));
        }
        var failed = results.Count(r => r.Failed);
        var empty = results.Count(r => r.Status == QualityStatus.NoData);
        await output.WriteLineAsync(failed > 0 ? $"{failed} of {results.Count} checks failed."
            : empty > 0 ? $"All {results.Count} checks passed ({empty} with no data yet)."
            : $"All {results.Count} checks passed.");
    }
}
