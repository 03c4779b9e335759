using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Zakaz.Cli.CommandLine;

/// <summary>
/// The help of a command, generated from the command tree in the layout zakaz has always printed
/// (<c>Usage: zakaz ...</c>, <c>--data DIR</c>), which scripts and the README quote.
/// </summary>
internal sealed class HelpText : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.Write(For(parseResult.CommandResult.Command));
        return ZakazCli.Ok;
    }

    public static string For(Command command)
    {
        var root = Path(command)[0];
        var name = ZakazCli.CommandName(command);
        var text = new StringBuilder();
        var usage = command.Subcommands.Count > 0 && command.Action is null
            ? $"{name} <command> [options]"
            : $"{name} [options]{string.Concat(command.Arguments.Select(a => " " + (a.HelpName ?? a.Name)))}";
        text.AppendLine($"Usage: {usage}").AppendLine().AppendLine(command.Description);
        if (command.Subcommands.Count > 0)
        {
            text.AppendLine().AppendLine("Commands:");
            var width = command.Subcommands.Max(c => c.Name.Length) + 2;
            foreach (var sub in command.Subcommands)
            {
                text.AppendLine($"  {sub.Name.PadRight(width)}{sub.Description}");
            }
        }
        AppendOptions(text, "Options:", command == root ? [] : command.Options);
        AppendOptions(text, "Global options:", root.Options);
        if (command.Subcommands.Count > 0)
        {
            text.AppendLine().AppendLine($"Run '{name} <command> --help' for a command's own options.");
        }
        return text.ToString();
    }

    public static IReadOnlyList<Command> Path(Command command)
    {
        var path = new List<Command> { command };
        while (path[0].Parents.OfType<Command>().FirstOrDefault() is { } parent)
        {
            path.Insert(0, parent);
        }
        return path;
    }

    private static void AppendOptions(StringBuilder text, string title, IList<Option> options)
    {
        if (options.Count == 0)
        {
            return;
        }
        text.AppendLine().AppendLine(title);
        var labels = options.Select(o => o.Arity.MaximumNumberOfValues == 0 || o is HelpOption or VersionOption ? o.Name : $"{o.Name} {o.HelpName}").ToArray();
        var width = labels.Max(l => l.Length) + 2;
        for (var i = 0; i < options.Count; i++)
        {
            text.AppendLine($"  {labels[i].PadRight(width)}{options[i].Description}");
        }
    }
}
