using System.CommandLine;
using System.CommandLine.Parsing;
using Zakaz.Pipeline.Facts;

namespace Zakaz.Cli.CommandLine;

/// <summary>
/// The kinds of option the commands take, each declared with its default; a value that does not fit is a
/// usage error naming the option and what it accepts (exit code 2).
/// </summary>
internal static class CliOptions
{
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    public static Option<string?> Text(string name, string valueName, string description) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary>A positive whole number up to <paramref name="max"/>; "1_000_000" and "1,000,000" are read as 1000000.</summary>
    public static Option<long> WholeNumber(string name, string valueName, string description, long defaultValue, long max = long.MaxValue) =>
        new(name)
        {
            Description = description,
            HelpName = valueName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var given = result.Tokens[0].Value;
                var text = given.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
                if (long.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max)
                {
                    return value;
                }
                result.AddError(max == long.MaxValue
                    ? $"{name} needs a positive whole number, not '{given}'."
                    : $"{name} needs a whole number from 1 to {max}, not '{given}'.");
                return default;
            },
        };

    /// <summary>A business date given as yyyy-MM-dd (within <see cref="DateRange.Business"/>); null when the option is absent.</summary>
    public static Option<DateOnly?> Date(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "DATE",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    result.AddError($"{name} needs a date as yyyy-MM-dd, not '{text}'.");
                }
                else if (!DateRange.Business.Contains(date))
                {
                    result.AddError($"{name} must be a date from {DateRange.Business.From:yyyy-MM-dd} to {DateRange.Business.To:yyyy-MM-dd}, not '{text}'.");
                }
                else
                {
                    return date;
                }
                return null;
            },
        };

    public static Argument<string> Argument(string name, string usage) => new(name) { HelpName = usage };

    /// <param name="readsEnvFile">False for a command that writes the --env-file it is given rather than reading its settings.</param>
    public static Command Runs(this Command command, Func<CliContext, Task<int>> handler, bool readsEnvFile = true)
    {
        command.SetAction((parse, _) => ZakazCli.InvokeAsync(parse, handler, readsEnvFile));
        return command;
    }
}

/// <summary>The command line itself is wrong: exit code 2 and a hint to --help.</summary>
internal sealed class UsageException(string message) : Exception(message);
