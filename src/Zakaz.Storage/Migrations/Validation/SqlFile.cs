namespace Zakaz.Storage.Migrations.Validation;

/// <summary>A schema file as its bytes, so the validator can judge the encoding before reading it as SQL.</summary>
public sealed class SqlFile(string name, byte[] content)
{
    public string Name { get; } = name;

    public byte[] Content { get; } = content;

    public static IReadOnlyList<SqlFile> Embedded() => Ordered(MigrationSet.EmbeddedFiles());

    /// <summary>Every <c>*.sql</c> file, whatever its name: one the runner would refuse is still validated.</summary>
    public static IReadOnlyList<SqlFile> FromDirectory(string directory) => Ordered(MigrationSet.DirectoryFiles(directory));

    private static SqlFile[] Ordered(IEnumerable<(string FileName, byte[] Content)> files) =>
        files.OrderBy(f => f.FileName, StringComparer.Ordinal).Select(f => new SqlFile(f.FileName, f.Content)).ToArray();
}
