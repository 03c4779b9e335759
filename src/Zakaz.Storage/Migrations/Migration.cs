using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Zakaz.Storage.Migrations;

/// <summary>One migration file: <c>NNNN_snake_name.sql</c>, its statements, and the checksum that pins its content once applied.</summary>
public sealed partial class Migration
{
    private Migration(uint version, string name, string fileName, string checksum, IReadOnlyList<SqlStatement> statements) =>
        (Version, Name, FileName, Checksum, Statements) = (version, name, fileName, checksum, statements);

    public uint Version { get; }

    public string Name { get; }

    public string FileName { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes, as recorded in the ledger.</summary>
    public string Checksum { get; }

    public IReadOnlyList<SqlStatement> Statements { get; }

    public override string ToString() => FileName;

    internal static Migration? TryRead(string fileName, byte[] content, out string? problem)
    {
        if (FileNameProblem(fileName, out var version, out var name) is { } nameProblem)
        {
            problem = $"{fileName}: {nameProblem}";
            return null;
        }
        var statements = SqlStatementSplitter.Split(ReadText(content));
        if (statements.Count == 0)
        {
            problem = $"{fileName}: the file has no SQL statements.";
            return null;
        }
        problem = null;
        return new Migration(version, name, fileName, Convert.ToHexStringLower(SHA256.HashData(content)), statements);
    }

    /// <summary>Why <paramref name="fileName"/> is not a migration's name, or null and its version and snake_case name.</summary>
    internal static string? FileNameProblem(string fileName, out uint version, out string name)
    {
        var match = FileNamePattern().Match(fileName);
        version = 0;
        name = match.Groups["name"].Value;
        if (!match.Success)
        {
            return "a migration file must be named NNNN_snake_name.sql (four digits, then lower-case words joined by underscores), for example 0002_add_orders.sql.";
        }
        version = uint.Parse(match.Groups["version"].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        return version == 0 ? "versions start at 0001." : null;
    }

    /// <summary>The file's text: UTF-8, with a byte order mark tolerated (the schema validator is the one that objects to it).</summary>
    internal static string ReadText(ReadOnlySpan<byte> content)
    {
        var preamble = Encoding.UTF8.Preamble;
        return Encoding.UTF8.GetString(content.StartsWith(preamble) ? content[preamble.Length..] : content);
    }

    [GeneratedRegex("^(?<version>[0-9]{4})_(?<name>[a-z0-9]+(_[a-z0-9]+)*)\\.sql$")]
    private static partial Regex FileNamePattern();
}
