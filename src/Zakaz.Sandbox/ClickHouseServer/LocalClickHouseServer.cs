using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Zakaz.Sandbox.ClickHouseServer;

/// <summary>
/// A throw-away ClickHouse server running as a child process on loopback ports, for tests and benchmarks.
/// Everything it writes lives in its own temp directory, removed on dispose.
/// </summary>
public sealed class LocalClickHouseServer : IAsyncDisposable
{
    public const string DefaultUser = "default";

    // Free ports are picked before the server binds them, so another process can take one in between.
    private const int MaxStartAttempts = 5;
    private const int DiagnosticLines = 40;

    // Disposal may never run (a failing fixture, Ctrl+C), and an orphaned server would keep its ports and memory.
    private static readonly ConcurrentDictionary<LocalClickHouseServer, byte> Running = new();

    private readonly Process _process;
    private readonly ServerDirectory _directory;
    private readonly OutputTail _output;
    private int _disposed;

    // A plain console process ends on SIGTERM/SIGHUP/SIGQUIT without raising ProcessExit, so those are watched
    // too; the handler does not cancel them, the process still terminates. Registrations live with the process.
    private static readonly PosixSignalRegistration[] TerminationSignals =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, _ => StopAll()))];

    static LocalClickHouseServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    private LocalClickHouseServer(Process process, ServerDirectory directory, OutputTail output, int httpPort,
        int tcpPort, string user, string password)
    {
        _process = process;
        _directory = directory;
        _output = output;
        HttpPort = httpPort;
        TcpPort = tcpPort;
        User = user;
        Password = password;
        Url = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/");
    }

    public int HttpPort { get; }

    /// <summary>The native protocol port, used by clickhouse-client.</summary>
    public int TcpPort { get; }

    /// <summary>The password-protected user; <see cref="DefaultUser"/> has no password.</summary>
    public string User { get; }

    public string Password { get; }

    public Uri Url { get; }

    /// <summary>The server's own <c>version()</c>, e.g. 18.16.1.</summary>
    public string Version { get; private set; } = "";

    public string DirectoryPath => _directory.Root;

    public int ProcessId => _process.Id;

    /// <summary>The end of the server's error log and console output, for failure messages.</summary>
    public string ReadDiagnostics() => $"{_directory.ReadErrorLogTail(DiagnosticLines)}\n--- console ---\n{_output}";

    public static async Task<LocalClickHouseServer> StartAsync(LocalClickHouseServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new LocalClickHouseServerOptions();
        if (options.User == DefaultUser)
        {
            throw new ArgumentException($"The password user must not be '{DefaultUser}'.", nameof(options));
        }

        ClickHouseCommand command = ClickHouseBinaries.FindServer(options.ServerPath);
        string tempRoot = options.TempRoot ?? Path.GetTempPath();
        ServerDirectory.SweepAbandoned(tempRoot);

        string password = options.Password ?? RandomNumberGenerator.GetHexString(32, lowercase: true);
        ServerDirectory directory = ServerDirectory.Create(tempRoot);
        try
        {
            directory.WriteUsers(options.User, password);
            Func<int, (int HttpPort, int TcpPort)> pickPorts = options.PortPicker ?? (_ => PickFreePorts());
            for (int attempt = 1; ; attempt++)
            {
                (int httpPort, int tcpPort) = pickPorts(attempt);
                directory.PrepareAttempt(httpPort, tcpPort, options);
                (LocalClickHouseServer? server, string exitDiagnostics) = await TryStartAsync(command, directory,
                    httpPort, tcpPort, options, password, cancellationToken);
                if (server is not null)
                {
                    return server;
                }

                if (!exitDiagnostics.Contains("Address already in use", StringComparison.Ordinal) ||
                    attempt == MaxStartAttempts)
                {
                    throw new InvalidOperationException(
                        $"ClickHouse server ({command.FileName}) exited during startup on ports {httpPort}/{tcpPort} " +
                        $"(attempt {attempt}). Error log {directory.ErrorLogPath} and output:\n{exitDiagnostics}");
                }
            }
        }
        catch
        {
            directory.Delete();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Running.TryRemove(this, out _);
        KillProcess(_process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
        _directory.Delete();
    }

    /// <summary>
    /// Starts one server process. When it exits instead of becoming ready (typically a port taken in the
    /// meantime) the server is null and the diagnostics say why.
    /// </summary>
    private static async Task<(LocalClickHouseServer? Server, string ExitDiagnostics)> TryStartAsync(ClickHouseCommand command,
        ServerDirectory directory, int httpPort, int tcpPort, LocalClickHouseServerOptions options, string password,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory.Root,
        };
        foreach (string argument in (string[])[.. command.PrefixArguments, "--config-file=" + directory.ConfigPath])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new OutputTail(DiagnosticLines);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new LocalClickHouseServer(process, directory, output, httpPort, tcpPort, options.User,
            password);
        Running.TryAdd(server, 0);
        directory.RecordServerPid(process.Id);
        try
        {
            string? version = await WaitUntilReadyAsync(server, options.StartTimeout, cancellationToken);
            if (version is null)
            {
                Running.TryRemove(server, out _);
                // Also waits for the output readers to reach the end, so the tail is complete.
                await process.WaitForExitAsync(cancellationToken);
                string diagnostics = $"exit code {process.ExitCode}\n{server.ReadDiagnostics()}";
                process.Dispose();
                return (null, diagnostics);
            }

            server.Version = version;
            return (server, "");
        }
        catch
        {
            Running.TryRemove(server, out _);
            KillProcess(process);
            process.WaitForExit(TimeSpan.FromSeconds(5));
            process.Dispose();
            throw;
        }
    }

    /// <summary>Polls GET /ping, then asks for version() as the password user; null when the process exited.</summary>
    private static async Task<string?> WaitUntilReadyAsync(LocalClickHouseServer server, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await PingAsync(http, server.Url, deadline.Token))
            {
                if (server._process.HasExited)
                {
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }

            // Another server that grabbed the port would answer the ping too, but not know our random password.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "?query=SELECT%20version()"));
            request.Headers.Add("X-ClickHouse-User", server.User);
            request.Headers.Add("X-ClickHouse-Key", server.Password);
            using HttpResponseMessage response = await http.SendAsync(request, deadline.Token);
            string body = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                return body.Trim();
            }

            await server._process.WaitForExitAsync(deadline.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"ClickHouse server did not answer GET {server.Url}ping within {timeout.TotalSeconds:0} s " +
                $"(process {(server._process.HasExited ? "exited" : "running")}). " +
                $"Error log {server._directory.ErrorLogPath} and output:\n{server.ReadDiagnostics()}");
        }
    }

    private static async Task<bool> PingAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetStringAsync(new Uri(url, "ping"), cancellationToken) == "Ok.\n";
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own per-request timeout: the server is still starting.
            return false;
        }
    }

    private static (int HttpPort, int TcpPort) PickFreePorts()
    {
        // Both listeners are open at once so the two ports differ.
        var http = new TcpListener(IPAddress.Loopback, 0);
        var tcp = new TcpListener(IPAddress.Loopback, 0);
        try
        {
            http.Start();
            tcp.Start();
            return (((IPEndPoint)http.LocalEndpoint).Port, ((IPEndPoint)tcp.LocalEndpoint).Port);
        }
        finally
        {
            http.Stop();
            tcp.Stop();
        }
    }

    private static void KillProcess(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static void StopAll()
    {
        foreach (LocalClickHouseServer server in Running.Keys)
        {
            server.StopNow();
        }
    }

    /// <summary>Synchronous best-effort stop for process exit, when awaiting is no longer possible.</summary>
    private void StopNow()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        KillProcess(_process);
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        try
        {
            _directory.Delete();
        }
        catch (IOException)
        {
            // The next start sweeps it.
        }
    }

    /// <summary>The last lines the server printed; it logs to files, so this is mostly early startup failures.</summary>
    private sealed class OutputTail(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                if (_lines.Count == capacity)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }
}
