namespace Zakaz.Configuration;

internal sealed record DotEnvVariable(string Name, string Value, int Line);

/// <summary>
/// Reads the dotenv subset people write by hand: comments, blank lines, <c>export NAME=value</c>,
/// unquoted values (an inline comment starts at a '#' after whitespace), 'literal' values and
/// "escaped" values with \n, \r, \t, \", \\ and \$.
/// </summary>
internal static class DotEnvParser
{
    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="fileName"/>:line but never echo the line, which may hold a secret.</summary>
    public static IReadOnlyList<DotEnvVariable> Parse(string text, string fileName)
    {
        var variables = new List<DotEnvVariable>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                line = line[7..].TrimStart();
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw Error(fileName, lineNumber, "expected NAME=value");
            }
            var name = line[..equals].TrimEnd();
            if (!IsName(name))
            {
                throw Error(fileName, lineNumber, "the name before '=' must be letters, digits and '_', not starting with a digit");
            }
            variables.Add(new DotEnvVariable(name, ParseValue(line[(equals + 1)..], fileName, lineNumber), lineNumber));
        }
        return variables;
    }

    private static string ParseValue(string afterEquals, string fileName, int lineNumber)
    {
        var raw = afterEquals.TrimStart();
        if (raw.StartsWith('"'))
        {
            var value = new StringBuilder();
            for (var i = 1; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '"')
                {
                    RequireNothingAfterQuote(raw[(i + 1)..], fileName, lineNumber);
                    return value.ToString();
                }
                if (c == '\\' && i + 1 < raw.Length)
                {
                    i++;
                    value.Append(raw[i] switch
                    {
                        'n' => "\n",
                        'r' => "\r",
                        't' => "\t",
                        '"' or '\\' or '$' => raw[i].ToString(),
                        // An unknown escape is kept as typed, so a Windows path survives.
                        _ => "\\" + raw[i],
                    });
                    continue;
                }
                value.Append(c);
            }
            throw Error(fileName, lineNumber, "the double-quoted value has no closing quote");
        }
        if (raw.StartsWith('\''))
        {
            var closing = raw.IndexOf('\'', 1);
            if (closing < 0)
            {
                throw Error(fileName, lineNumber, "the single-quoted value has no closing quote");
            }
            RequireNothingAfterQuote(raw[(closing + 1)..], fileName, lineNumber);
            return raw[1..closing];
        }
        // A '#' glued to text is part of the value (tokens and URL fragments contain it); after whitespace it starts a comment.
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && (i > 0 ? char.IsWhiteSpace(raw[i - 1]) : raw.Length < afterEquals.Length))
            {
                return raw[..i].TrimEnd();
            }
        }
        return raw;
    }

    private static void RequireNothingAfterQuote(string rest, string fileName, int lineNumber)
    {
        if (rest.TrimStart() is [not '#', ..])
        {
            throw Error(fileName, lineNumber, "unexpected text after the closing quote");
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static ConfigurationException Error(string fileName, int lineNumber, string problem) =>
        new($"{fileName}:{lineNumber}: {problem}");
}
