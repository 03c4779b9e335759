namespace Zakaz.Storage.Migrations;

/// <summary>The migrations to run, ordered by version; building one checks every file name and that versions are unique.</summary>
public sealed class MigrationSet
{
    private const string ResourcePrefix = "Zakaz.Storage.Migrations.Sql.";

    private MigrationSet(IReadOnlyList<Migration> migrations) => Migrations = migrations;

    public IReadOnlyList<Migration> Migrations { get; }

    /// <summary>The migrations of this set that <paramref name="keep"/> accepts, e.g. those a backup's schema had.</summary>
    public MigrationSet Where(Func<Migration, bool> keep) => new(Migrations.Where(keep).ToArray());

    /// <summary>The migrations shipped inside Zakaz.Storage (src/Zakaz.Storage/Migrations/Sql).</summary>
    public static MigrationSet Embedded() => From(EmbeddedFiles());

    /// <summary>Every <c>*.sql</c> file of <paramref name="directory"/> (not its subdirectories); other files are ignored.</summary>
    public static MigrationSet FromDirectory(string directory) => From(DirectoryFiles(directory));

    internal static IEnumerable<(string FileName, byte[] Content)> EmbeddedFiles()
    {
        var assembly = typeof(MigrationSet).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                var content = new byte[stream.Length];
                stream.ReadExactly(content);
                return (n[ResourcePrefix.Length..], content);
            });
    }

    internal static IEnumerable<(string FileName, byte[] Content)> DirectoryFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.sql", SearchOption.TopDirectoryOnly)
            .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)));

    public static MigrationSet FromFiles(IEnumerable<(string FileName, string Content)> files) =>
        From(files.Select(f => (f.FileName, Encoding.UTF8.GetBytes(f.Content))));

    private static MigrationSet From(IEnumerable<(string FileName, byte[] Content)> files)
    {
        var read = files.OrderBy(f => f.FileName, StringComparer.Ordinal)
            .Select(f => (Migration: Migration.TryRead(f.FileName, f.Content, out var problem), Problem: problem))
            .ToList();
        var migrations = read.Select(r => r.Migration).OfType<Migration>().ToList();
        var problems = read.Select(r => r.Problem).OfType<string>().ToList();
        foreach (var duplicate in migrations.GroupBy(m => m.Version).Where(g => g.Count() > 1))
        {
            problems.Add($"{string.Join(", ", duplicate)} share version {duplicate.Key:D4}; give each migration its own number.");
        }
        if (problems.Count > 0)
        {
            throw new MigrationException("Invalid migrations:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)));
        }
        return new MigrationSet(migrations.OrderBy(m => m.Version).ToArray());
    }
}
