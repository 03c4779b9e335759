using Zakaz.Configuration;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.Qtickets;

/// <summary>How <see cref="QticketsClient"/> reaches the API and how hard it tries (spec §1).</summary>
public sealed class QticketsClientOptions : SourceHttpOptions
{
    public Uri BaseUrl { get; init; } = new("https://qtickets.ru/api/rest/v1");

    /// <summary>The organiser-wide bearer token; a secret, only ever logged as <see cref="QticketsClient.TokenFingerprint"/>.</summary>
    public required string Token { get; init; }

    /// <summary>The client settings for the configured API; fails when no token is configured.</summary>
    public static QticketsClientOptions FromConfiguration(QticketsOptions options) => string.IsNullOrWhiteSpace(options.Token)
        ? throw new ConfigurationException("The Qtickets token is not set: set QTICKETS_TOKEN (Qtickets:Token).")
        : new QticketsClientOptions { BaseUrl = options.BaseUrl, Token = options.Token };

    internal QticketsClientOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Token);
        ValidateRetries();
        return this;
    }
}
