namespace Zakaz.Sandbox.ClickHouseServer;

/// <summary>An executable plus the leading arguments that select the tool (the single-binary build needs "server"/"client").</summary>
internal sealed record ClickHouseCommand(string FileName, IReadOnlyList<string> PrefixArguments);

/// <summary>
/// Finds the ClickHouse executables. Debian ships separate clickhouse-server/clickhouse-client binaries (18.16);
/// upstream ships one "clickhouse" binary with subcommands, which is accepted too.
/// </summary>
internal static class ClickHouseBinaries
{
    public const string ServerVariable = "ZAKAZ_CLICKHOUSE_SERVER";
    public const string ClientVariable = "ZAKAZ_CLICKHOUSE_CLIENT";
    public const string InstallHint =
        "run scripts/install-test-deps.sh (apt-get install clickhouse-server clickhouse-client)";

    private const string MultiToolPath = "/usr/bin/clickhouse";

    public static ClickHouseCommand FindServer(string? explicitPath) =>
        Find("server", explicitPath ?? Environment.GetEnvironmentVariable(ServerVariable), ServerVariable,
            ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"]);

    public static ClickHouseCommand FindClient(string? explicitPath) =>
        Find("client", explicitPath ?? Environment.GetEnvironmentVariable(ClientVariable), ClientVariable,
            ["/usr/bin/clickhouse-client"]);

    private static ClickHouseCommand Find(string tool, string? configured, string variable, string[] candidates)
    {
        // A configured path that does not exist is a setup mistake; falling back would hide it.
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? ForPath(configured, tool)
                : throw new FileNotFoundException(
                    $"ClickHouse {tool} not found at {configured} (from {variable} or options); {InstallHint}", configured);
        }

        return candidates.FirstOrDefault(File.Exists) is { } candidate ? new ClickHouseCommand(candidate, [])
            : File.Exists(MultiToolPath) ? new ClickHouseCommand(MultiToolPath, [tool])
            : throw new FileNotFoundException($"ClickHouse {tool} not found; {InstallHint}");
    }

    private static ClickHouseCommand ForPath(string path, string tool) =>
        Path.GetFileName(path) == "clickhouse" ? new ClickHouseCommand(path, [tool]) : new ClickHouseCommand(path, []);
}
