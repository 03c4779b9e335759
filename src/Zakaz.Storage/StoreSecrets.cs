using System.Security.Cryptography;

namespace Zakaz.Storage;

/// <summary>
/// Seals the secrets a store keeps in its own tables (OAuth tokens, a generated buyer-key secret), so whoever
/// can read the tables alone (a SQL user, a copy of the files, a backup) cannot use them. The key lives beside
/// the store: an owner-only key file in the embedded data directory, or ZAKAZ_SECRETS_KEY for a server store.
/// </summary>
/// <remarks>
/// AES-256-GCM rather than ASP.NET Core Data Protection, whose framework and rotating key ring every process
/// on a server store would have to share; GCM authenticates, so a value sealed with another key or moved to
/// another row fails to open instead of reading as garbage.
/// </remarks>
public sealed class StoreSecrets
{
    public const string KeyFileName = "secrets.key";

    public const string KeySetting = "ZAKAZ_SECRETS_KEY";

    /// <summary>The shortest configured key accepted: it must be a random text, not a password.</summary>
    public const int MinimumSettingLength = 32;

    /// <summary>What every sealed value starts with; a value without it was stored in clear by an earlier version.</summary>
    public const string SealedPrefix = "sealed:v1:";

    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Func<byte[]> _loadKey;
    private readonly Lock _gate = new();
    private byte[]? _key;

    private StoreSecrets(string keySource, Func<byte[]> loadKey) => (KeySource, _loadKey) = (keySource, loadKey);

    /// <summary>Where the key comes from, for messages: the key file's path or the setting's name.</summary>
    public string KeySource { get; }

    /// <summary>The key in <paramref name="directory"/>'s owner-only key file, made there the first time a secret is sealed.</summary>
    public static StoreSecrets InDirectory(string directory)
    {
        var path = Path.Combine(directory, KeyFileName);
        return new StoreSecrets(path, () => OwnerOnly.ReadOrCreateKey(path, KeyBytes));
    }

    /// <summary>The key derived from the configured text; without one, every use says what to set.</summary>
    public static StoreSecrets FromSetting(string? text) => new(KeySetting, () => text switch
    {
        null or "" => throw new StoreSecretsException(
            $"{KeySetting} is not set. A ClickHouse server store keeps its secrets (VK Ads tokens, a generated buyer-key secret) sealed with it: " +
            $"set {KeySetting} to a long random text (e.g. openssl rand -base64 32), the same for every Zakaz process that uses this server, and keep it outside the server."),
        { Length: < MinimumSettingLength } => throw new StoreSecretsException(
            $"{KeySetting} has {text.Length} characters; it needs at least {MinimumSettingLength} random ones (e.g. openssl rand -base64 32)."),
        _ => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(text), KeyBytes, info: "zakaz store secrets"u8.ToArray()),
    });

    /// <summary>Throws, saying what to set, unless a secret can be sealed and opened; for a check before any work starts.</summary>
    public void ThrowIfUnavailable() => _ = Key;

    /// <summary>Seals for the place named by <paramref name="context"/> (table, row, column): it opens only with the same key and context.</summary>
    public string Seal(string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        // nonce, tag, ciphertext: a random nonce per value, so sealing the same secret twice gives different text.
        var sealedBytes = new byte[NonceBytes + TagBytes + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagBytes);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(context));
        return SealedPrefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret in <paramref name="stored"/>; one an earlier version stored in clear comes as it is, to be sealed again.</summary>
    public OpenedSecret Open(string stored, string context)
    {
        if (!stored.StartsWith(SealedPrefix, StringComparison.Ordinal))
        {
            return new OpenedSecret(stored, WasSealed: false);
        }
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored[SealedPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw Unopenable(context, "it is not a sealed value (damaged)");
        }
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw Unopenable(context, "it is too short to be a sealed value (damaged)");
        }
        var data = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(Key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), data, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Unopenable(context, $"it was sealed with another key than {KeySource}. Restore the key that sealed it");
        }
        return new OpenedSecret(Encoding.UTF8.GetString(data), WasSealed: true);
    }

    /// <summary>SQL that holds when all <paramref name="columns"/> are sealed; it reads the parameter <c>{sealed_prefix:String}</c>.</summary>
    public static string SealedCondition(params string[] columns) =>
        "(" + string.Join(" AND ", columns.Select(c => $"startsWith({StoreIdentifiers.Quote(c)}, {{sealed_prefix:String}})")) + ")";

    private byte[] Key
    {
        get
        {
            using var scope = _gate.EnterScope();
            return _key ??= _loadKey();
        }
    }

    private static StoreSecretsException Unopenable(string context, string reason) =>
        new($"The secret {context} cannot be opened: {reason}.");
}

public readonly record struct OpenedSecret(string Value, bool WasSealed);

/// <summary>A secret of the store cannot be sealed or opened: no key configured for a server store, or another key sealed it.</summary>
public sealed class StoreSecretsException(string message) : Exception(message);
