namespace Zakaz.Bench;

/// <summary>A new directory under the temp path for one benchmark's store, deleted with its content on dispose.</summary>
internal sealed class ScratchDirectory(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // The engine may still hold files while it shuts down; the temp cleaner gets them.
        }
    }
}
