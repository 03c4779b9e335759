namespace Zakaz.Configuration.Tests;

public class ConfigurationReferenceTests
{
    [Fact]
    public void The_readme_lists_every_setting_exactly_as_the_key_table_says()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var begin = readme.IndexOf(ConfigurationReference.BeginMarker, StringComparison.Ordinal);
        var end = readme.IndexOf(ConfigurationReference.EndMarker, StringComparison.Ordinal);

        Assert.True(begin >= 0 && end > begin, "README.md has no configuration reference markers");
        var section = readme[(begin + ConfigurationReference.BeginMarker.Length)..end].Trim('\n');
        Assert.Equal(ConfigurationReference.Markdown(new ZakazOptions()).TrimEnd('\n'), section);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "README.md")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
