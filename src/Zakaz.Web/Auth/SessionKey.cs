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

    /// <summary>Shorter configured secrets (this key, the API token) are refused: they could be guessed.</summary>
    public const int MinSecretLength = 32;

    /// <summary>The key of a configured secret: its SHA-256, so any text of at least <see cref="MinSecretLength"/> characters will do.</summary>
    public static byte[] FromSecret(string secret)
    {
        RequireLong(secret, "ZAKAZ_DASHBOARD_SESSION_KEY (Dashboard:SessionKey)", "openssl rand -hex 32");
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Throws <see cref="DashboardConfigurationException"/> naming <paramref name="setting"/> when <paramref name="secret"/> is too short to be safe.</summary>
    internal static void RequireLong(string secret, string setting, string example)
    {
        if (secret.Length < MinSecretLength)
        {
            throw new DashboardConfigurationException(
                $"{setting} is {secret.Length} characters long; it must have at least {MinSecretLength} random ones (e.g. {example}).");
        }
    }

    /// <summary>The key in <paramref name="directory"/>'s key file, made there on first use.</summary>
    public static byte[] InDirectory(string directory) => OwnerOnly.ReadOrCreateKey(Path.Combine(directory, FileName), Bytes);
}
