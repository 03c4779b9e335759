using Zakaz.Sandbox.ClickHouseServer;

namespace Zakaz.Cli.Tests;

/// <summary>The CLI against a real ClickHouse server over HTTP (Debian's 18.16, started for these tests).</summary>
public sealed class ServerCommandTests : IAsyncLifetime
{
    private LocalClickHouseServer? _server;

    private LocalClickHouseServer Server => _server ?? throw new InvalidOperationException("The server did not start.");

    public async Task InitializeAsync() => _server = await LocalClickHouseServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private string Url(string password) => $"http://{Server.User}:{Uri.EscapeDataString(password)}@127.0.0.1:{Server.HttpPort}/default";

    [Fact]
    public async Task Query_runs_on_the_server()
    {
        var run = await ZakazProcess.RunAsync("--clickhouse", Url(Server.Password), "query", "SELECT 1 + 1", "--format", "TSV");

        Assert.Equal((0, "2\n", ""), (run.ExitCode, run.Output, run.Error));
    }

    [Fact]
    public async Task A_wrong_password_prints_one_clear_line_and_exits_1()
    {
        var run = await ZakazProcess.RunAsync("--clickhouse", Url("wrong-password"), "query", "SELECT 1 + 1", "--format", "TSV");

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
        var url = Url(Server.Password);

        var status = await ZakazProcess.RunAsync("--clickhouse", url, "db", "status");
        var doctor = await ZakazProcess.RunAsync("--clickhouse", url, "doctor");

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
        var run = await ZakazProcess.RunAsync("--clickhouse", "http://zakaz:secret@127.0.0.1:9/zakaz", "query", "SELECT 1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("zakaz: error: Cannot reach ClickHouse at http://127.0.0.1:9 (connection refused). Is the server running? Check CLICKHOUSE_URL or CLICKHOUSE_HOST/CLICKHOUSE_PORT.",
            Assert.Single(run.ErrorLines));
    }
}
