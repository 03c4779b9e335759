using System.Text;

namespace Zakaz.Cli.CommandLine;

internal static class HelpText
{
    public static string For(IReadOnlyList<Command> path, IReadOnlyList<CommandOption> globals)
    {
        var command = path[^1];
        var name = string.Join(' ', path.Select(c => c.Name));
        var text = new StringBuilder();
        var usage = command.Subcommands.Count > 0 && command.Handler is null
            ? $"{name} <command> [options]"
            : $"{name} [options]{string.Concat(command.Arguments.Select(a => " " + a))}";
        text.AppendLine($"Usage: {usage}").AppendLine().AppendLine(command.Summary);
        if (command.Details is not null)
        {
            text.AppendLine().AppendLine(command.Details);
        }
        if (command.Subcommands.Count > 0)
        {
            text.AppendLine().AppendLine("Commands:");
            var width = command.Subcommands.Max(c => c.Name.Length) + 2;
            foreach (var sub in command.Subcommands)
            {
                text.AppendLine($"  {sub.Name.PadRight(width)}{sub.Summary}");
            }
        }
        AppendOptions(text, "Options:", command.Options);
        AppendOptions(text, "Global options:", globals);
        if (command.Subcommands.Count > 0)
        {
            text.AppendLine().AppendLine($"Run '{name} <command> --help' for a command's own options.");
        }
        return text.ToString();
    }

    private static void AppendOptions(StringBuilder text, string title, IReadOnlyList<CommandOption> options)
    {
        if (options.Count == 0)
        {
            return;
        }
        text.AppendLine().AppendLine(title);
        var labels = options.Select(o => o.ValueName is null ? $"--{o.Name}" : $"--{o.Name} {o.ValueName}").ToArray();
        var width = labels.Max(l => l.Length) + 2;
        for (var i = 0; i < options.Count; i++)
        {
            text.AppendLine($"  {labels[i].PadRight(width)}{options[i].Description}");
        }
    }
}
