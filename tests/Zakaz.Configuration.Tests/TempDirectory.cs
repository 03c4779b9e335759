namespace Zakaz.Configuration.Tests;

/// <summary>A scratch working directory, so no test sees the real appsettings.json or another test's files.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zakaz-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string fileName, string text)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public LoadedConfiguration Load(
        Dictionary<string, string>? environment = null,
        string? envFile = null,
        Dictionary<string, string?>? flags = null,
        params string[] appSettingsFiles) =>
        ZakazConfiguration.Load<ZakazOptions>(new ConfigurationSources
        {
            WorkingDirectory = Path,
            AppSettingsFiles = appSettingsFiles,
            EnvironmentVariables = environment ?? [],
            EnvFile = envFile,
            Flags = flags ?? [],
        });

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
