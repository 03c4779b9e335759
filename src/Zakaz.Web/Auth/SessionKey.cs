using System.Security.Cryptography;
using System.Text;
using Zakaz.Storage;

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
    public static byte[] InDirectory(string directory) => OwnerOnly.ReadOrCreateKey(Path.Combine(directory, FileName), Bytes);
}
