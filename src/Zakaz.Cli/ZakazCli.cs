using System.Reflection;
using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Commands;
using Zakaz.Configuration;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli;

/// <summary>The <c>zakaz</c> command: parses the command line, loads configuration, runs a command, maps failures to exit codes.</summary>
public static class ZakazCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    internal static readonly IReadOnlyList<CommandOption> GlobalOptions =
    [
        new("data", "DIR", "Embedded store directory (ZAKAZ_DATA_DIR; default ./zakaz-data)"),
        new("clickhouse", "URL", "Use a ClickHouse server: http://user@host:8123/database (CLICKHOUSE_URL); its password from CLICKHOUSE_PASSWORD or --clickhouse-password-file, since ps shows a URL's"),
        new("clickhouse-password-file", "FILE", "Read the ClickHouse password from FILE, owner-only (CLICKHOUSE_PASSWORD_FILE)"),
        new("env-file", "FILE", "Read settings from a dotenv file (same names as the environment variables)"),
        new("verbose", null, "Print stack traces and more detail"),
        new("help", null, "Show help for the command"),
        new("version", null, "Print the version"),
    ];

    public static string Version =>
        typeof(ZakazCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = CommandTree.Build();
        Invocation? invocation = null;
        try
        {
            invocation = CommandLineParser.Parse(root, GlobalOptions, args);
            if (invocation.Flag("version"))
            {
                await output.WriteLineAsync($"zakaz {Version} (chDB {Storage.ChDb.ChDbLibrary.PinnedVersion})");
                return Ok;
            }
            if (invocation.Flag("help") || invocation.Command.Handler is null)
            {
                await (invocation.Flag("help") ? output : error).WriteAsync(HelpText.For(invocation.Path, GlobalOptions));
                return invocation.Flag("help") ? Ok : Usage;
            }
            if (invocation.Arguments.Count < invocation.Command.Arguments.Count)
            {
                throw new UsageException($"'zakaz {invocation.CommandName}' needs {string.Join(" ", invocation.Command.Arguments)}.");
            }
            var configuration = ZakazConfiguration.Load(new ConfigurationSources
            {
                EnvFile = invocation.Value("env-file"),
                Flags = invocation.Options.Where(o => o.Key is "data" or "clickhouse" or "clickhouse-password-file" or "verbose").ToDictionary(o => o.Key, o => o.Value),
            });
            foreach (var warning in configuration.Warnings)
            {
                await error.WriteLineAsync($"zakaz: warning: {warning}");
            }
            return await invocation.Command.Handler(new CliContext(invocation, configuration, output, error));
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"zakaz: {e.Message}");
            await error.WriteLineAsync($"Run '{string.Join(' ', (invocation?.Path ?? [root]).Select(c => c.Name))} --help'.");
            return Usage;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"zakaz: {Describe(e)}");
            if (invocation?.Flag("verbose") == true)
            {
                await error.WriteLineAsync(e.ToString());
            }
            return Failure;
        }
    }

    /// <summary>One line a person can act on; the exception types we raise already say what failed and what to do.</summary>
    private static string Describe(Exception e) => e switch
    {
        // UNKNOWN_DATABASE or UNKNOWN_TABLE of our own schema: a store nobody migrated yet.
        ClickHouseException { Code: 81 or 60 } missing when IsZakazObject(missing.ServerMessage) =>
            $"error: {missing.Message.ReplaceLineEndings(" ")}: the store has no Zakaz schema yet; run `zakaz db migrate` first.",
        ConfigurationException or StoreUnavailableException or StoreSecretsException or ClickHouseException or MigrationException or TimeoutException
            or IOException or UnauthorizedAccessException or ArgumentException or Web.Auth.DashboardConfigurationException
            or Pipeline.Sheets.SheetFormatException => "error: " + e.Message.ReplaceLineEndings(" "),
        _ => $"unexpected error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (run with --verbose for details)",
    };

    private static bool IsZakazObject(string message) =>
        message.Contains("Database zakaz ", StringComparison.Ordinal) || message.Contains("Database bi ", StringComparison.Ordinal)
        || message.Contains("zakaz.", StringComparison.Ordinal) || message.Contains("bi.", StringComparison.Ordinal);
}
