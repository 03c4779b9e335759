namespace Zakaz.Web.Auth;

/// <summary>Files that hold secrets or sessions: readable by their owner only, and never seen half written.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>, written under another name first so a crash leaves the old file or the new one.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, options))
        {
            file.Write(content);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
