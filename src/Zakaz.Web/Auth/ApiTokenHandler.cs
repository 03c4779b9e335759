using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Zakaz.Web.Auth;

internal sealed class ApiTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>ZAKAZ_API_TOKEN; null lets no token in.</summary>
    public string? Token { get; set; }
}

/// <summary>The read-only API token, sent as <c>Authorization: Bearer TOKEN</c>, compared in constant time.</summary>
internal sealed class ApiTokenHandler(IOptionsMonitor<ApiTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiTokenOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    private const string Prefix = "Bearer ";

    /// <summary>Whether the request offers a token: then the token alone decides, whatever cookie it carries.</summary>
    public static bool Offered(HttpRequest request) => request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (string.IsNullOrEmpty(Options.Token)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim()), Encoding.UTF8.GetBytes(Options.Token)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong API token."));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => DashboardAuth.RefuseAsync(Context);
}
