using Zakaz.Pipeline.Facts;

namespace Zakaz.Cli.CommandLine;

/// <summary>An option of a command: a flag when <see cref="ValueName"/> is null, else it takes one value.</summary>
internal sealed record CommandOption(string Name, string? ValueName, string Description);

/// <summary>A node of the command tree: either a group of subcommands or a command with a handler.</summary>
internal sealed class Command(string name, string summary)
{
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    /// <summary>Positional arguments as shown in usage, e.g. <c>"SQL"</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyList<CommandOption> Options { get; init; } = [];

    public IReadOnlyList<Command> Subcommands { get; init; } = [];

    public string? Details { get; init; }

    public Func<CliContext, Task<int>>? Handler { get; init; }
}

/// <summary>What the user asked for: the command, its option values and positional arguments.</summary>
internal sealed class Invocation(IReadOnlyList<Command> path, IReadOnlyDictionary<string, string?> options, IReadOnlyList<string> arguments)
{
    public IReadOnlyList<Command> Path { get; } = path;

    public Command Command => Path[^1];

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public IReadOnlyDictionary<string, string?> Options { get; } = options;

    public bool Flag(string name) => Options.ContainsKey(name);

    public string? Value(string name) => Options.GetValueOrDefault(name);

    public long Int64(string name, long fallback, long max = long.MaxValue)
    {
        var text = Value(name)?.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (text is null)
        {
            return fallback;
        }
        return long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max
            ? value
            : throw new UsageException(max == long.MaxValue
                ? $"--{name} needs a positive whole number, not '{Value(name)}'."
                : $"--{name} needs a whole number from 1 to {max}, not '{Value(name)}'.");
    }

    public int Int32(string name, int fallback, int max) => (int)Int64(name, fallback, max);

    /// <summary>A business date given as yyyy-MM-dd (within <see cref="DateRange.Business"/>), or null when the option is absent.</summary>
    public DateOnly? Date(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            throw new UsageException($"--{name} needs a date as yyyy-MM-dd, not '{text}'.");
        }
        return DateRange.Business.Contains(date)
            ? date
            : throw new UsageException($"--{name} must be a date from {DateRange.Business.From:yyyy-MM-dd} to {DateRange.Business.To:yyyy-MM-dd}, not '{text}'.");
    }

    public string CommandName => string.Join(' ', Path.Skip(1).Select(c => c.Name));
}

/// <summary>The command line itself is wrong: exit code 2 and a hint to --help.</summary>
internal sealed class UsageException(string message) : Exception(message);
