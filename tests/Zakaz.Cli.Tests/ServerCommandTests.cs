using System.Runtime.Versioning;
using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Cli.Tests;

/// <summary>The CLI against a real ClickHouse server over HTTP (Debian's 18.16, started for these tests).</summary>
public sealed class ServerCommandTests : IAsyncLifetime
{
    private LocalClickHouseServer? _server;

    private LocalClickHouseServer Server => _server ?? throw new InvalidOperationException("The server did not start.");

    public async Task InitializeAsync() => _server = await LocalClickHouseServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The address without a password, as --clickhouse should carry it: ps shows a command line to every local user.</summary>
    private string Url() => $"http://{Server.User}@127.0.0.1:{Server.HttpPort}/default";

    private Dictionary<string, string?> PasswordVariable(string password) => new() { ["CLICKHOUSE_PASSWORD"] = password };

    [Fact]
    public async Task Query_runs_on_the_server()
    {
        var run = await ZakazProcess.RunAsync(["--clickhouse", Url(), "query", "SELECT 1 + 1", "--format", "TSV"], PasswordVariable(Server.Password));

        Assert.Equal((0, "2\n", ""), (run.ExitCode, run.Output, run.Error));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_password_comes_from_a_file_so_the_command_line_carries_none_and_a_file_others_can_read_is_named()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-ch-password-").FullName;
        var file = Path.Combine(directory, "password");
        await File.WriteAllTextAsync(file, Server.Password + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string[] args = ["--clickhouse", Url(), "--clickhouse-password-file", file, "query", "SELECT 1 + 1", "--format", "TSV"];

        var ownerOnly = await ZakazProcess.RunAsync(args);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        var readable = await ZakazProcess.RunAsync(args);

        // What ps shows of these runs: no password anywhere.
        Assert.DoesNotContain(args, a => a.Contains(Server.Password, StringComparison.Ordinal));
        Assert.Equal((0, "2\n", ""), (ownerOnly.ExitCode, ownerOnly.Output, ownerOnly.Error));
        Assert.Equal((0, "2\n"), (readable.ExitCode, readable.Output));
        Assert.Equal(
            $"zakaz: warning: --clickhouse-password-file '{file}' (from command line) has mode 0644: other local users can read the password; chmod 600 {file}",
            Assert.Single(readable.ErrorLines));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_password_in_the_command_line_url_still_works_and_warns_that_ps_shows_it()
    {
        var url = $"http://{Server.User}:{Uri.EscapeDataString(Server.Password)}@127.0.0.1:{Server.HttpPort}/default";

        var run = await ZakazProcess.RunAsync("--clickhouse", url, "query", "SELECT 1 + 1", "--format", "TSV");

        Assert.Equal((0, "2\n"), (run.ExitCode, run.Output));
        Assert.Equal(
            "zakaz: warning: the password in --clickhouse is visible to every local user (ps); leave it out of the URL and give it in CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
            Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_wrong_password_prints_one_clear_line_and_exits_1()
    {
        var run = await ZakazProcess.RunAsync(["--clickhouse", Url(), "query", "SELECT 1 + 1", "--format", "TSV"], PasswordVariable("wrong-password"));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"zakaz: error: ClickHouse at http://{Server.User}@127.0.0.1:{Server.HttpPort}/default refused user '{Server.User}'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task The_seed_style_variables_reach_the_server()
    {
        var environment = new Dictionary<string, string?>
        {
            ["CLICKHOUSE_HOST"] = "127.0.0.1",
            ["CLICKHOUSE_PORT"] = Server.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLICKHOUSE_USER"] = Server.User,
            ["CLICKHOUSE_PASSWORD"] = Server.Password,
            ["CLICKHOUSE_DB"] = "system",
        };

        var run = await ZakazProcess.RunAsync(["query", "SELECT currentDatabase()", "--format", "TSV"], environment);

        Assert.Equal((0, "system\n"), (run.ExitCode, run.Output));
    }

    [Fact]
    public async Task Status_and_doctor_read_the_server_without_changing_it()
    {
        // The schema targets ClickHouse >= 24.8; the 18.16 test server checks the protocol, so
        // nothing here migrates it.
        var status = await ZakazProcess.RunAsync(["--clickhouse", Url(), "db", "status"], PasswordVariable(Server.Password));
        var doctor = await ZakazProcess.RunAsync(["--clickhouse", Url(), "doctor"], PasswordVariable(Server.Password));

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("0001_databases.sql", status.Output, StringComparison.Ordinal);
        Assert.Contains("pending", status.Output, StringComparison.Ordinal);
        Assert.Equal(0, doctor.ExitCode);
        Assert.Contains("[ok  ] server", doctor.Output, StringComparison.Ordinal);
        Assert.Contains("ClickHouse 18.16", doctor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_1()
    {
        var run = await ZakazProcess.RunAsync("--clickhouse", "http://zakaz@127.0.0.1:9/zakaz", "query", "SELECT 1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("zakaz: error: Cannot reach ClickHouse at http://127.0.0.1:9 (connection refused). Is the server running? Check CLICKHOUSE_URL or CLICKHOUSE_HOST/CLICKHOUSE_PORT.",
            Assert.Single(run.ErrorLines));
    }
}
