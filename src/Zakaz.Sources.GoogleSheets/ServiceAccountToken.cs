using System.Net.Http.Json;
using System.Security.Cryptography;

namespace Zakaz.Sources.GoogleSheets;

/// <summary>
/// OAuth 2.0 for a service account without the Google SDK: a JWT (RS256, signed with the framework's
/// RSA) asserting the account and the read-only Sheets scope, exchanged at the key's token_uri
/// (<c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer</c>) for an access token.
/// </summary>
public static class ServiceAccountToken
{
    public const string ReadOnlyScope = "https://www.googleapis.com/auth/spreadsheets.readonly";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The signed assertion: valid from <paramref name="now"/> for an hour, the longest Google accepts.</summary>
    public static string Assertion(ServiceAccountKey key, DateTimeOffset now)
    {
        var header = new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (key.KeyId is { } kid)
        {
            header["kid"] = kid;
        }
        var claims = new
        {
            iss = key.ClientEmail,
            scope = ReadOnlyScope,
            aud = key.TokenUri.ToString(),
            iat = now.ToUnixTimeSeconds(),
            exp = now.AddHours(1).ToUnixTimeSeconds(),
        };
        var signed = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    public static async Task<string> RequestAsync(HttpClient http, ServiceAccountKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["assertion"] = Assertion(key, now),
        };
        using var response = await GoogleSheetsSource.SendAsync(http,
            new HttpRequestMessage(HttpMethod.Post, key.TokenUri) { Content = new FormUrlEncodedContent(form) },
            $"The Google token endpoint {key.TokenUri}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var reason = await ErrorDescriptionAsync(response, cancellationToken);
            throw new GoogleSheetsException(
                $"Google refused the service account {key.ClientEmail} a token (HTTP {(int)response.StatusCode}{(reason is null ? "" : $": {reason}")}): " +
                "check that the key file is current (keys can be revoked) and the machine's clock is right.", (int)response.StatusCode);
        }
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return token?.access_token is { Length: > 0 } accessToken
            ? accessToken
            : throw new GoogleSheetsException($"The Google token endpoint {key.TokenUri} answered without an access_token.");
    }

    internal static async Task<string?> ErrorDescriptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = json.RootElement;
            if (root.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String)
            {
                return description.GetString();
            }
            return !root.TryGetProperty("error", out var error) ? null
                : error.ValueKind == JsonValueKind.String ? error.GetString()
                : error.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
        }
        return null;
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The token endpoint's JSON field names.
#pragma warning disable IDE1006
    private sealed record TokenResponse(string? access_token, int? expires_in, string? token_type);
#pragma warning restore IDE1006
}
