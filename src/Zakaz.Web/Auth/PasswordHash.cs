using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Zakaz.Web.Auth;

/// <summary>
/// The dashboard password as configuration holds it: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>, salt
/// and hash in base64, PBKDF2 with HMAC-SHA256 (RFC 8018). <c>zakaz serve hash-password</c> makes one.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Throws <see cref="FormatException"/> naming what is wrong with a configured hash.</summary>
    public static void Validate(string encoded) => Parse(encoded);

    public static bool Verify(string password, string encoded)
    {
        var (iterations, salt, expected) = Parse(encoded);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static (int Iterations, byte[] Salt, byte[] Hash) Parse(string encoded)
    {
        var parts = encoded.Trim().Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            throw new FormatException($"The dashboard password hash must look like {Scheme}$ITERATIONS$SALT$HASH; make one with 'zakaz serve hash-password'.");
        }
        try
        {
            var iterations = int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            if (iterations < 1 || salt.Length == 0 || hash.Length == 0)
            {
                throw new FormatException("empty part");
            }
            return (iterations, salt, hash);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new FormatException($"The dashboard password hash has a bad iteration count, salt or hash; make a new one with 'zakaz serve hash-password'.", e);
        }
    }
}
