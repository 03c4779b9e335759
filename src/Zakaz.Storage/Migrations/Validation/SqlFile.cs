namespace Zakaz.Storage.Migrations.Validation;

/// <summary>A schema file as its bytes, so the validator can judge the encoding before reading it as SQL.</summary>
public sealed class SqlFile(string name, byte[] content)
{
    public string Name { get; } = name;

    public byte[] Content { get; } = content;

    /// <summary>The migrations shipped inside Zakaz.Storage, in file name order.</summary>
    public static IReadOnlyList<SqlFile> Embedded() => Ordered(MigrationSet.EmbeddedFiles());

    /// <summary>
    /// Every <c>*.sql</c> file of <paramref name="directory"/>, in file name order, whatever their
    /// names: a file the runner would refuse is still validated, and its name reported.
    /// </summary>
    public static IReadOnlyList<SqlFile> FromDirectory(string directory) => Ordered(MigrationSet.DirectoryFiles(directory));

    private static SqlFile[] Ordered(IEnumerable<(string FileName, byte[] Content)> files) =>
        files.OrderBy(f => f.FileName, StringComparer.Ordinal).Select(f => new SqlFile(f.FileName, f.Content)).ToArray();
}
