using System.Security.Cryptography;
using System.Text;

namespace Zakaz.Web.Auth;

/// <summary>
/// Where the key that signs session cookies comes from when it must outlive a restart: a configured
/// secret (ZAKAZ_DASHBOARD_SESSION_KEY, any long random text; every instance behind one address must
/// share it), or a key file kept in the embedded store's data directory, readable by its owner only.
/// </summary>
public static class SessionKey
{
    public const int Bytes = 32;

    public const string FileName = "dashboard-session.key";

    /// <summary>The key of a configured secret: its SHA-256, so any text of any length will do.</summary>
    public static byte[] FromSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The key in <paramref name="directory"/>'s key file, made there on first use.</summary>
    public static byte[] InDirectory(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            var kept = File.ReadAllBytes(path);
            if (kept.Length == Bytes)
            {
                return kept;
            }
        }
        var key = RandomNumberGenerator.GetBytes(Bytes);
        // Written under another name first, so a crash never leaves half a key that later logins would trust.
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, options))
        {
            file.Write(key);
        }
        File.Move(temporary, path, overwrite: true);
        return key;
    }
}
