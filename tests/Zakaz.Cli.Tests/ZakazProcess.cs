using System.Diagnostics;

namespace Zakaz.Cli.Tests;

public sealed record ZakazRun(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Runs the real CLI (zakaz.dll built beside the tests) as a separate process, the way a user does:
/// each run gets its own chDB engine, so tests can use as many data directories as they like.
/// </summary>
public static class ZakazProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "zakaz.dll");

    public static async Task<ZakazRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The developer's own settings must not leak into what the tests observe.
        foreach (var name in new[] { "ZAKAZ_DATA_DIR", "CLICKHOUSE_URL", "CLICKHOUSE_HOST", "CLICKHOUSE_PORT", "CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD", "CLICKHOUSE_DB" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ZakazRun(process.ExitCode, await output, await error);
    }

    public static Task<ZakazRun> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "zakaz-cli-test-" + Guid.NewGuid().ToString("N")[..10]);
}
