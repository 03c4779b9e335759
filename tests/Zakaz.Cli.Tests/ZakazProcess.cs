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

    public static async Task<ZakazRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null,
        IReadOnlyList<string>? launcher = null)
    {
        using var running = Start(args, environment, workingDirectory, launcher);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await running.WaitAsync(timeout.Token);
    }

    public static Task<ZakazRun> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>A launcher that runs the CLI under <paramref name="umask"/> (through sh), whatever the test runner's is.</summary>
    public static IReadOnlyList<string> UnderUmask(string umask) => ["/bin/sh", "-c", "umask \"$1\" && shift && exec \"$@\"", "sh", umask];

    /// <summary>
    /// Starts the CLI without waiting for it, for tests that kill it midway; a <paramref name="launcher"/> (a command
    /// and its arguments) runs it, e.g. in a mount namespace of its own.
    /// </summary>
    public static RunningZakaz Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null,
        IReadOnlyList<string>? launcher = null)
    {
        var start = new ProcessStartInfo(launcher?[0] ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in launcher is null ? [] : launcher.Skip(1).Append("dotnet"))
        {
            start.ArgumentList.Add(arg);
        }
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
        return new RunningZakaz(Process.Start(start)!);
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "zakaz-cli-test-" + Guid.NewGuid().ToString("N")[..10]);
}

/// <summary>A CLI process still running: its output is read as it comes so a full pipe never stalls it.</summary>
public sealed class RunningZakaz : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    internal RunningZakaz(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The CLI's process id, as its job runs record it.</summary>
    public int Id => _process.Id;

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no cleanup runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<ZakazRun> WaitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return new ZakazRun(_process.ExitCode, await _output, await _error);
    }

    public void Dispose() => _process.Dispose();
}
