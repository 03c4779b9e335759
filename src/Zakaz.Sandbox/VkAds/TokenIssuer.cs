using System.Security.Cryptography;

namespace Zakaz.Sandbox.VkAds;

/// <summary>
/// The platform's token rules (spec §1): at most <see cref="VkAdsSandboxOptions.MaxTokens"/> tokens per client and
/// user whatever their state, a refresh replaces the access token (the old one dies at once) and keeps the
/// refresh token, and a token lives <see cref="VkAdsSandboxOptions.TokenLifetime"/>.
/// </summary>
internal sealed class TokenIssuer(VkAdsSandboxOptions options, string clientSecret)
{
    private readonly Lock _gate = new();
    private readonly List<IssuedToken> _tokens = [];

    public int Minted { get; private set; }

    public int Refreshed { get; private set; }

    public int Live => _gate.Locked(() => _tokens.Count);

    public bool IsClient(string? clientId, string? secret) =>
        clientId == options.ClientId && secret is not null &&
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(clientSecret));

    /// <summary>A new token for <paramref name="user"/> ("" for the app's own account), or null at the limit.</summary>
    public IssuedToken? Mint(string user) => _gate.Locked(() =>
    {
        if (_tokens.Count(t => t.User == user) >= options.MaxTokens)
        {
            return null;
        }
        var token = new IssuedToken(user, NewSecret(), NewSecret(), DateTimeOffset.UtcNow + options.TokenLifetime);
        _tokens.Add(token);
        Minted++;
        return token;
    });

    public IssuedToken? Refresh(string refreshToken) => _gate.Locked(() =>
    {
        int index = _tokens.FindIndex(t => t.RefreshToken == refreshToken);
        if (index < 0)
        {
            return null;
        }
        _tokens[index] = _tokens[index] with { AccessToken = NewSecret(), ExpiresAt = DateTimeOffset.UtcNow + options.TokenLifetime };
        Refreshed++;
        return _tokens[index];
    });

    /// <summary>The token's state: null when unknown (deleted, or replaced by a refresh).</summary>
    public IssuedToken? Find(string accessToken) => _gate.Locked(() => _tokens.Find(t => t.AccessToken == accessToken));

    public void Expire(string accessToken) => Change(t => t.AccessToken == accessToken, t => t with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });

    public void ExpireAll() => Change(_ => true, t => t with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });

    public void Delete(string accessToken) => _gate.Locked(() => _tokens.RemoveAll(t => t.AccessToken == accessToken));

    /// <summary><c>token/delete.json</c>: every token of the app for that user.</summary>
    public void DeleteAll(string user) => _gate.Locked(() => _tokens.RemoveAll(t => t.User == user));

    private void Change(Func<IssuedToken, bool> match, Func<IssuedToken, IssuedToken> change) => _gate.Locked(() =>
    {
        for (int i = 0; i < _tokens.Count; i++)
        {
            if (match(_tokens[i]))
            {
                _tokens[i] = change(_tokens[i]);
            }
        }
    });

    private static string NewSecret() => RandomNumberGenerator.GetHexString(40, lowercase: true);
}

internal sealed record IssuedToken(string User, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);
