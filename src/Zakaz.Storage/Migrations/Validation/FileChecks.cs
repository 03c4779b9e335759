using System.Buffers;
using System.Collections.Frozen;

namespace Zakaz.Storage.Migrations.Validation;

/// <summary>Rules on a file as a whole: its name and its bytes.</summary>
internal static class FileChecks
{
    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    // Windows-1251 for UTF-8's continuation bytes 0x80-0xBF: a Cyrillic letter is 0xD0 or 0xD1 (Р or С) and one of these,
    // so "москва" read as Windows-1251 becomes "РјРѕСЃРєРІР°", which saved again is valid UTF-8 nothing else notices.
    private static readonly FrozenSet<char> ContinuationLookalikes =
        Windows1251.GetString(Enumerable.Range(0x80, 0x40).Select(b => (byte)b).ToArray()).Where(c => c >= '\u00A0').ToFrozenSet();

    /// <summary>Two garbled letters in a row: one alone is too likely to be real text.</summary>
    private const int MinimumGarbledLetters = 2;

    public static IEnumerable<SchemaProblem> Check(SqlFile file, string text, int statementCount)
    {
        var problems = new List<SchemaProblem>();
        if (Migration.FileNameProblem(file.Name, out _, out _) is { } nameProblem)
        {
            problems.Add(new SchemaProblem(file.Name, 1, SchemaRules.MigrationFile, nameProblem));
        }
        if (statementCount == 0)
        {
            problems.Add(new SchemaProblem(file.Name, 1, SchemaRules.MigrationFile, "the file has no SQL statements; the runner refuses it."));
        }
        if (file.Content.AsSpan().StartsWith(Encoding.UTF8.Preamble))
        {
            problems.Add(new SchemaProblem(file.Name, 1, SchemaRules.Encoding, "the file starts with a byte order mark; save it as UTF-8 without BOM."));
        }
        problems.AddRange(InvalidUtf8Lines(file.Content).Select(e => new SchemaProblem(file.Name, e.Line, SchemaRules.Encoding,
            $"invalid UTF-8 (byte 0x{e.Byte:X2}); save the file as UTF-8.")));
        problems.AddRange(text.Split('\n').Select((line, i) => (Garbled: Garbled(line), Line: i + 1)).Where(g => g.Garbled is not null).Select(g =>
            new SchemaProblem(file.Name, g.Line, SchemaRules.Mojibake,
                $"\"{g.Garbled}\" is UTF-8 text that was read as Windows-1251 and saved again; it should read \"{Encoding.UTF8.GetString(Windows1251.GetBytes(g.Garbled!))}\".")));
        return problems;
    }

    /// <summary>Files that claim the same version: the runner refuses the set.</summary>
    public static IEnumerable<SchemaProblem> VersionClashes(IReadOnlyList<SqlFile> files) =>
        files.Select(f => (File: f, Version: Migration.FileNameProblem(f.Name, out var version, out _) is null ? version : 0))
            .Where(f => f.Version > 0)
            .GroupBy(f => f.Version)
            .SelectMany(g => g.Skip(1).Select(f => new SchemaProblem(f.File.Name, 1, SchemaRules.MigrationFile,
                $"version {g.Key:D4} is also used by {g.First().File.Name}; give each migration its own number.")));

    private static List<(int Line, byte Byte)> InvalidUtf8Lines(ReadOnlySpan<byte> content)
    {
        var found = new List<(int, byte)>();
        var line = 1;
        for (var i = 0; i < content.Length;)
        {
            if (Rune.DecodeFromUtf8(content[i..], out _, out var consumed) != OperationStatus.Done && (found.Count == 0 || found[^1].Item1 != line))
            {
                found.Add((line, content[i]));
            }
            line += content[i] == '\n' ? 1 : 0;
            i += consumed;
        }
        return found;
    }

    private static string? Garbled(string line)
    {
        for (var start = 0; start < line.Length; start++)
        {
            var end = start;
            while (end + 1 < line.Length && line[end] is 'Р' or 'С' && ContinuationLookalikes.Contains(line[end + 1]))
            {
                end += 2;
            }
            if (end - start >= 2 * MinimumGarbledLetters)
            {
                return line[start..end];
            }
        }
        return null;
    }
}
