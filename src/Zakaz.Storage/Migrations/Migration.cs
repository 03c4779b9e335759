using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Zakaz.Storage.Migrations;

/// <summary>One migration file: <c>NNNN_snake_name.sql</c>, its statements, and the checksum that pins its content once applied.</summary>
public sealed partial class Migration
{
    private Migration(uint version, string name, string fileName, string checksum, IReadOnlyList<SqlStatement> statements)
    {
        Version = version;
        Name = name;
        FileName = fileName;
        Checksum = checksum;
        Statements = statements;
    }

    public uint Version { get; }

    /// <summary>The snake_case part of the file name.</summary>
    public string Name { get; }

    public string FileName { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes, as recorded in the ledger.</summary>
    public string Checksum { get; }

    public IReadOnlyList<SqlStatement> Statements { get; }

    public override string ToString() => FileName;

    /// <summary>Reads a migration file, or says in <paramref name="problem"/> why it is not one.</summary>
    internal static Migration? TryRead(string fileName, byte[] content, out string? problem)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            problem = $"{fileName}: a migration file must be named NNNN_snake_name.sql (four digits, then lower-case words joined by underscores), for example 0002_add_orders.sql.";
            return null;
        }
        var version = uint.Parse(match.Groups["version"].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        if (version == 0)
        {
            problem = $"{fileName}: versions start at 0001.";
            return null;
        }
        var preamble = Encoding.UTF8.Preamble;
        var body = content.AsSpan().StartsWith(preamble) ? content.AsSpan(preamble.Length) : content;
        var statements = SqlStatementSplitter.Split(Encoding.UTF8.GetString(body));
        if (statements.Count == 0)
        {
            problem = $"{fileName}: the file has no SQL statements.";
            return null;
        }
        problem = null;
        return new Migration(version, match.Groups["name"].Value, fileName, Convert.ToHexStringLower(SHA256.HashData(content)), statements);
    }

    [GeneratedRegex("^(?<version>[0-9]{4})_(?<name>[a-z0-9]+(_[a-z0-9]+)*)\\.sql$")]
    private static partial Regex FileNamePattern();
}
