using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Commands;
using Zakaz.Cli.Logging;
using Zakaz.Configuration;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;
using Zakaz.Web;

namespace Zakaz.Cli;

/// <summary>The <c>zakaz</c> command: parses the command line, loads configuration, runs a command, maps failures to exit codes.</summary>
public static class ZakazCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    internal static readonly Option<string?> Data = CliOptions.Text("--data", "DIR", "Embedded store directory (ZAKAZ_DATA_DIR; default ./zakaz-data)");
    internal static readonly Option<string?> ClickHouse = CliOptions.Text("--clickhouse", "URL", "Use a ClickHouse server: http://user@host:8123/database (CLICKHOUSE_URL); its password from CLICKHOUSE_PASSWORD or --clickhouse-password-file, since ps shows a URL's");
    internal static readonly Option<string?> ClickHousePasswordFile = CliOptions.Text("--clickhouse-password-file", "FILE", "Read the ClickHouse password from FILE, owner-only (CLICKHOUSE_PASSWORD_FILE)");
    internal static readonly Option<string?> EnvFile = CliOptions.Text("--env-file", "FILE", "Read settings from a dotenv file (same names as the environment variables)");
    internal static readonly Option<bool> Verbose = CliOptions.Flag("--verbose", "Print stack traces and more detail");

    internal static readonly IReadOnlyList<Option> GlobalOptions = [Data, ClickHouse, ClickHousePasswordFile, EnvFile, Verbose];

    /// <summary>The global options that are also configuration keys (<see cref="ConfigurationKeys"/> knows their flags).</summary>
    private static readonly IReadOnlyList<Option> ConfigurationFlags = [Data, ClickHouse, ClickHousePasswordFile, Verbose];

    /// <summary>The command that starts this very zakaz in a child process: its executable, or dotnet and zakaz.dll.</summary>
    public static IReadOnlyList<string> Self()
    {
        var entry = Environment.GetCommandLineArgs()[0];
        return entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [Environment.ProcessPath ?? "dotnet", entry] : [Environment.ProcessPath ?? entry];
    }

    public static string Version =>
        typeof(ZakazCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parse = CommandTree.Root.Parse(args);
        var command = parse.CommandResult.Command;
        if (parse.Action is ParseErrorAction)
        {
            if (command.Action is null)
            {
                if (parse.UnmatchedTokens.Count == 0)
                {
                    // A group without its subcommand: what it offers, on stderr since nothing ran.
                    await error.WriteAsync(HelpText.For(command));
                    return Usage;
                }
                return await UsageErrorAsync(error, command,
                    $"Unknown command '{parse.UnmatchedTokens[0]}' for '{CommandName(command)}'. Commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.");
            }
            return await UsageErrorAsync(error, command, parse.Errors[0].Message);
        }
        try
        {
            // Ctrl+C and SIGTERM stay with the commands that serve until stopped; the parser's own handling would cut them short.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(error, command, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await error.WriteLineAsync($"zakaz: {Describe(e)}");
            if (parse.GetValue(Verbose))
            {
                await error.WriteLineAsync(e.ToString());
            }
            return Failure;
        }
    }

    /// <summary>Loads the configuration the global options point at and runs <paramref name="handler"/> with it.</summary>
    internal static async Task<int> InvokeAsync(ParseResult parse, Func<CliContext, Task<int>> handler, bool readsEnvFile)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var configuration = ZakazConfiguration.Load<ZakazOptions>(new ConfigurationSources
        {
            EnvFile = readsEnvFile ? parse.GetValue(EnvFile) : null,
            Flags = ConfigurationFlags
                .Where(o => parse.GetResult(o) is { Implicit: false })
                .ToDictionary(o => o.Name, o => o == Verbose ? null : (string?)parse.GetValue((Option<string?>)o)),
        });
        foreach (var warning in configuration.Warnings)
        {
            await error.WriteLineAsync($"zakaz: warning: {warning}");
        }
        // Disposed before the exit code is returned, so every queued log entry is written first.
        using var loggers = CliLogging.Create(configuration.Options);
        return await handler(new CliContext(parse, configuration, loggers, output, error));
    }

    private static async Task<int> UsageErrorAsync(TextWriter error, Command command, string message)
    {
        await error.WriteLineAsync($"zakaz: {message}");
        await error.WriteLineAsync($"Run '{CommandName(command)} --help'.");
        return Usage;
    }

    internal static string CommandName(Command command) => string.Join(' ', HelpText.Path(command).Select((c, i) => i == 0 ? "zakaz" : c.Name));

    /// <summary>One line a person can act on; the exception types we raise already say what failed and what to do.</summary>
    private static string Describe(Exception e) => e switch
    {
        // UNKNOWN_DATABASE or UNKNOWN_TABLE of our own schema: a store nobody migrated yet.
        ClickHouseException { Code: 81 or 60 } missing when IsZakazObject(missing.ServerMessage) =>
            $"error: {missing.Message.ReplaceLineEndings(" ")}: the store has no Zakaz schema yet; run `zakaz db migrate` first.",
        ConfigurationException or StoreUnavailableException or StoreSecretsException or ClickHouseException or MigrationException or TimeoutException
            or IOException or UnauthorizedAccessException or ArgumentException or Web.Auth.DashboardConfigurationException
            or Pipeline.Sheets.SheetFormatException or Microsoft.Extensions.Options.OptionsValidationException or Operations.Backups.BackupException => "error: " + e.Message.ReplaceLineEndings(" "),
        _ => $"unexpected error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (run with --verbose for details)",
    };

    private static bool IsZakazObject(string message) =>
        message.Contains("Database zakaz ", StringComparison.Ordinal) || message.Contains("Database bi ", StringComparison.Ordinal)
        || message.Contains("zakaz.", StringComparison.Ordinal) || message.Contains("bi.", StringComparison.Ordinal);
}

/// <summary><c>zakaz --version</c>: the version and the chDB release it is pinned to.</summary>
internal sealed class VersionText : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine($"zakaz {ZakazCli.Version} (chDB {Storage.ChDb.ChDbLibrary.PinnedVersion})");
        return ZakazCli.Ok;
    }
}
