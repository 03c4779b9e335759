using System.Runtime.Versioning;

namespace Zakaz.Storage.Tests.Secrets;

public sealed class OwnerOnlyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zakaz-owner-only-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_tree_open_to_others_is_made_owner_only_with_one_line_naming_the_first_path_and_its_mode()
    {
        var part = Directory.CreateDirectory(Path.Combine(_directory, "store", "all_1_1_0")).FullName;
        var data = Path.Combine(part, "data.bin");
        File.WriteAllText(data, "rows");
        var outside = Path.Combine(Path.GetTempPath(), "zakaz-owner-only-outside-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(outside, "not ours");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_directory, "link"), outside);
            File.SetUnixFileMode(outside, (UnixFileMode)0b110_100_100);
            File.SetUnixFileMode(data, (UnixFileMode)0b110_100_100);
            File.SetUnixFileMode(part, (UnixFileMode)0b111_111_101);
            File.SetUnixFileMode(Path.GetDirectoryName(part)!, (UnixFileMode)0b111_000_000);
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);

            var warning = OwnerOnly.Restrict(_directory);

            Assert.Equal($"{_directory} had mode 0755, open to other local users, and so had 2 more path(s) in {_directory}; made owner-only (0700 for directories, 0600 for files)", warning);
            Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(_directory));
            Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(part));
            Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(data));
            Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(outside));
            Assert.Null(OwnerOnly.Restrict(_directory));
        }
        finally
        {
            File.Delete(outside);
        }
    }
}
