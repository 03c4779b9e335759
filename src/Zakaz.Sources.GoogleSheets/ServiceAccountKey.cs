using System.Security.Cryptography;

namespace Zakaz.Sources.GoogleSheets;

/// <summary>The fields of a Google service account's JSON key file that signing needs.</summary>
public sealed class ServiceAccountKey
{
    private ServiceAccountKey(string clientEmail, string? keyId, string privateKeyPem, Uri tokenUri)
    {
        ClientEmail = clientEmail;
        KeyId = keyId;
        PrivateKeyPem = privateKeyPem;
        TokenUri = tokenUri;
    }

    public string ClientEmail { get; }

    public string? KeyId { get; }

    public Uri TokenUri { get; }

    internal string PrivateKeyPem { get; }

    /// <summary>Reads and checks a key file; every problem is one line naming the file (never its contents).</summary>
    public static ServiceAccountKey Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GoogleSheetsException($"The service-account key file {path} cannot be read ({e.GetType().Name}): check GOOGLE_SERVICE_ACCOUNT_KEY_FILE.", inner: e);
        }
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (Field("type") is { } type && type != "service_account")
            {
                throw Bad(path, $"its type is '{type}', not service_account");
            }
            var email = Field("client_email") ?? throw Bad(path, "it has no client_email");
            var pem = Field("private_key") ?? throw Bad(path, "it has no private_key");
            var tokenUri = Field("token_uri") is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                ? parsed
                : new Uri("https://oauth2.googleapis.com/token");
            using (var rsa = RSA.Create())
            {
                try
                {
                    rsa.ImportFromPem(pem);
                }
                catch (Exception e) when (e is ArgumentException or CryptographicException)
                {
                    throw Bad(path, "its private_key is not a PEM RSA key");
                }
            }
            return new ServiceAccountKey(email, Field("private_key_id"), pem, tokenUri);
        }
        catch (JsonException)
        {
            throw Bad(path, "it is not JSON");
        }
    }

    private static GoogleSheetsException Bad(string path, string problem) =>
        new($"The service-account key file {path} is not usable: {problem}. Download a JSON key of the service account from the Google Cloud console and set GOOGLE_SERVICE_ACCOUNT_KEY_FILE to it.");
}
