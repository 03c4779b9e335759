namespace Zakaz.Cli.CommandLine;

/// <summary>
/// Parses <c>zakaz [global options] command [subcommand] [options] [arguments]</c>. Global options may
/// stand anywhere; <c>--name=value</c> and <c>--name value</c> are both accepted; <c>--</c> ends options.
/// </summary>
internal static class CommandLineParser
{
    public static Invocation Parse(Command root, IReadOnlyList<CommandOption> globals, IReadOnlyList<string> args)
    {
        var path = new List<Command> { root };
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (!optionsEnded && token == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && token is "-h")
            {
                token = "--help";
            }
            if (!optionsEnded && token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                var (name, inline) = SplitOption(token);
                var option = path[^1].Options.Concat(globals).FirstOrDefault(o => o.Name == name)
                    ?? throw new UsageException($"Unknown option --{name} for '{Name(path)}'.");
                if (option.ValueName is null)
                {
                    options[name] = inline is null ? null : throw new UsageException($"--{name} takes no value.");
                }
                else
                {
                    var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value ({option.ValueName})."));
                    options[name] = value;
                }
                continue;
            }
            var sub = arguments.Count == 0 ? path[^1].Subcommands.FirstOrDefault(c => c.Name == token) : null;
            if (sub is not null)
            {
                path.Add(sub);
                continue;
            }
            if (path[^1].Handler is null && !options.ContainsKey("help") && !options.ContainsKey("version"))
            {
                throw new UsageException(path[^1].Subcommands.Count > 0
                    ? $"Unknown command '{token}' for '{Name(path)}'. Commands: {string.Join(", ", path[^1].Subcommands.Select(c => c.Name))}."
                    : $"Unexpected argument '{token}'.");
            }
            arguments.Add(token);
        }
        var invocation = new Invocation(path, options, arguments);
        if (!invocation.Flag("help") && !invocation.Flag("version") && invocation.Command.Handler is not null
            && arguments.Count > invocation.Command.Arguments.Count)
        {
            throw new UsageException($"Too many arguments for '{Name(path)}': {string.Join(' ', arguments.Skip(invocation.Command.Arguments.Count))}.");
        }
        return invocation;
    }

    private static (string Name, string? Value) SplitOption(string token)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (token[2..], null) : (token[2..eq], token[(eq + 1)..]);
    }

    private static string Name(List<Command> path) => string.Join(' ', path.Select(c => c.Name));
}
