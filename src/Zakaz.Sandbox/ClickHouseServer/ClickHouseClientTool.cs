using System.Diagnostics;

namespace Zakaz.Sandbox.ClickHouseServer;

/// <summary>Result of one clickhouse-client run: wall time from process start to exit, and what it printed.</summary>
public sealed record ClickHouseClientRun(TimeSpan Elapsed, string Output);

/// <summary>
/// Runs the native clickhouse-client against a <see cref="LocalClickHouseServer"/>; the insert benchmark uses it
/// as the baseline for our HTTP inserts.
/// </summary>
public sealed class ClickHouseClientTool
{
    private readonly ClickHouseCommand _command;

    private ClickHouseClientTool(ClickHouseCommand command) => _command = command;

    /// <summary><c>ZAKAZ_CLICKHOUSE_CLIENT</c>, else /usr/bin/clickhouse-client, else <c>/usr/bin/clickhouse client</c>.</summary>
    /// <exception cref="FileNotFoundException">No client is installed; the message says how to install it.</exception>
    public static ClickHouseClientTool Find(string? explicitPath = null) =>
        new(ClickHouseBinaries.FindClient(explicitPath));

    /// <summary>
    /// Runs <paramref name="query"/> as the server's password user over the native port. With
    /// <paramref name="inputFile"/> the file is the client's stdin exactly as with a shell's <c>&lt; file</c>,
    /// so the timing does not include copying the data through this process.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client exited non-zero; the message holds its stderr.</exception>
    public async Task<ClickHouseClientRun> RunAsync(LocalClickHouseServer server, string query,
        string? inputFile = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (inputFile is not null && !File.Exists(inputFile))
        {
            throw new FileNotFoundException($"Input file {inputFile} does not exist.", inputFile);
        }

        ProcessStartInfo startInfo = inputFile is null
            ? new ProcessStartInfo(_command.FileName)
            : new ProcessStartInfo("/bin/sh")
            {
                ArgumentList = { "-c", "input=$1; shift; exec \"$@\" < \"$input\"", "sh", inputFile, _command.FileName },
            };
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = inputFile is null;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        string port = server.TcpPort.ToString(CultureInfo.InvariantCulture);
        foreach (string argument in (string[])[.. _command.PrefixArguments, "--host", "127.0.0.1", "--port", port,
            "--user", server.User, "--password", server.Password, "--query", query])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        if (inputFile is null)
        {
            // An open stdin pipe would make the client wait for data on INSERT queries.
            process.StandardInput.Close();
        }

        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        stopwatch.Stop();
        string stdout = await output;
        string stderr = await error;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"clickhouse-client exited with code {process.ExitCode} for: {query}\n{stderr.Trim()}");
        }

        return new ClickHouseClientRun(stopwatch.Elapsed, stdout);
    }

    /// <summary>Runs an <c>INSERT ... FORMAT X</c> query with the file as its data; returns the wall time.</summary>
    public async Task<TimeSpan> InsertFileAsync(LocalClickHouseServer server, string insertQuery, string inputFile,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputFile);
        return (await RunAsync(server, insertQuery, inputFile, cancellationToken)).Elapsed;
    }
}
