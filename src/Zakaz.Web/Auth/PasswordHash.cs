using System.Security.Cryptography;

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

    /// <summary>Fewer iterations make a leaked hash cheap to guess; more make every login a denial of service.</summary>
    public const int MinIterations = 100_000;

    public const int MaxIterations = 10_000_000;

    private const string Setting = "ZAKAZ_DASHBOARD_PASSWORD_HASH (Dashboard:PasswordHash)";

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
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
            throw new FormatException($"{Setting} must look like {Scheme}$ITERATIONS$SALT$HASH; make one with 'zakaz serve hash-password'.");
        }
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < MinIterations or > MaxIterations)
        {
            var count = parts[1].Length is > 0 and <= 19 && parts[1].All(char.IsAsciiDigit) ? parts[1] : "no readable number of";
            throw new FormatException(
                $"{Setting} has {count} PBKDF2 iterations; it must have between {MinIterations} and {MaxIterations}: make a new one with 'zakaz serve hash-password'.");
        }
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            if (salt.Length == 0 || hash.Length == 0)
            {
                throw new FormatException("empty part");
            }
            return ((int)iterations, salt, hash);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{Setting} has a bad salt or hash; make a new one with 'zakaz serve hash-password'.", e);
        }
    }
}
