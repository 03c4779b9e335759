using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Zakaz.Web.Auth;

/// <summary>
/// Who may read the dashboard: a login with the configured password (the framework's cookie
/// authentication: HttpOnly, SameSite=Strict, Secure over HTTPS, sealed with the keys of
/// <see cref="LoginKeys"/>; a logout revokes that session, <see cref="RevokedSessions"/>) or the read-only
/// API token (<see cref="ApiTokenHandler"/>); nobody needs either when the app is open, which only a
/// loopback address allows. Password guesses are bounded by <see cref="LoginLimits"/>. The webhook and
/// the probes have their own rules.
/// </summary>
internal sealed class DashboardAuth
{
    public const string CookieName = "zakaz_session";
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>Where the served login page says why the login was refused (see <c>login.html</c>).</summary>
    public const string NoticeMarker = "<!--login-notice-->";

    /// <summary>The cookie's scheme; <see cref="SessionClaim"/> names the login, so a logout revokes that one and no other.</summary>
    public const string SessionScheme = "session";

    public const string SessionClaim = "sid";

    /// <summary>The default scheme: the token when one is offered, else the cookie.</summary>
    private const string Scheme = "zakaz";

    private readonly DashboardOptions _options;
    private readonly RevokedSessions _revoked;

    private DashboardAuth(DashboardOptions options)
    {
        _options = options;
        _revoked = new RevokedSessions(options.StateDirectory, options.Time);
        Passwords = new PasswordChecks(string.IsNullOrEmpty(options.PasswordHash) ? null : options.PasswordHash);
    }

    public PasswordChecks Passwords { get; }

    /// <summary>Checks the options and says what to set when the dashboard could not be reached or would be unprotected.</summary>
    public static DashboardAuth Create(DashboardOptions options)
    {
        if (options.Open && !IsLoopback(options.Host))
        {
            throw new DashboardConfigurationException(
                $"--open serves the dashboard without a login, which is allowed only on a loopback address, not on '{options.Host}': use --host 127.0.0.1, or drop --open and set ZAKAZ_DASHBOARD_PASSWORD_HASH or ZAKAZ_API_TOKEN.");
        }
        if (!options.Open && string.IsNullOrEmpty(options.PasswordHash) && string.IsNullOrEmpty(options.ApiToken))
        {
            throw new DashboardConfigurationException(
                "The dashboard needs a login: set ZAKAZ_DASHBOARD_PASSWORD_HASH (make one with 'zakaz serve hash-password') or ZAKAZ_API_TOKEN, or use --open on 127.0.0.1.");
        }
        LoginKeys.RequireLong(options.ApiToken, "ZAKAZ_API_TOKEN (Dashboard:ApiToken)", "openssl rand -hex 24");
        LoginKeys.RequireLong(options.SessionSecret, "ZAKAZ_DASHBOARD_SESSION_KEY (Dashboard:SessionKey)", "openssl rand -hex 32");
        if (!string.IsNullOrEmpty(options.PasswordHash))
        {
            try
            {
                PasswordHash.Validate(options.PasswordHash);
            }
            catch (FormatException e)
            {
                throw new DashboardConfigurationException(e.Message);
            }
        }
        return new DashboardAuth(options);
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    public void AddTo(IServiceCollection services)
    {
        LoginKeys.AddTo(services, _options);
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = context => ApiTokenHandler.Offered(context.Request) ? ApiTokenHandler.SchemeName : SessionScheme)
            .AddCookie(SessionScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.IsEssential = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = false;
                o.LoginPath = LoginPath;
                o.ReturnUrlParameter = "return";
                o.TimeProvider = _options.Time;
                o.Events.OnRedirectToLogin = context => RefuseAsync(context.HttpContext);
                o.Events.OnValidatePrincipal = context =>
                {
                    if (context.Principal?.FindFirst(SessionClaim) is not { } session || _revoked.Contains(session.Value))
                    {
                        context.RejectPrincipal();
                    }
                    return Task.CompletedTask;
                };
            })
            .AddScheme<ApiTokenOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, o =>
            {
                o.Token = string.IsNullOrEmpty(_options.ApiToken) ? null : _options.ApiToken;
                o.TimeProvider = _options.Time;
            });
        var authorization = services.AddAuthorizationBuilder();
        if (!_options.Open)
        {
            authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }
        _options.LoginLimits.AddTo(services, TooManyAttemptsAsync);
    }

    /// <summary>The answer to a request without a login: 401 (API) or a redirect to the login page, back here after it (pages).</summary>
    public static Task RefuseAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Dashboard.Api.DashboardApi.ErrorAsync(context, StatusCodes.Status401Unauthorized, "Log in at /login, or send the API token as 'Authorization: Bearer TOKEN'.");
        }
        var back = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect(LoginPath + "?return=" + Uri.EscapeDataString(back));
        return Task.CompletedTask;
    }

    public void MapLogin(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, context => LoginPageAsync(context, context.Request.Query.ContainsKey("error") ? "Неверный пароль." : null)).AllowAnonymous();
        endpoints.MapPost(LoginPath, LoginAsync).WithMetadata(LoginLimits.Marker).AllowAnonymous();
        endpoints.MapPost(LogoutPath, LogoutAsync).AllowAnonymous();
    }

    /// <summary>The answer to an attempt beyond <see cref="LoginLimits"/> (429, its Retry-After already set): the login page saying when to try again.</summary>
    public Task TooManyAttemptsAsync(HttpContext context) =>
        LoginPageAsync(context, $"Слишком много попыток входа. Повторите через {context.Response.Headers.RetryAfter} с.");

    private async Task LoginAsync(HttpContext context)
    {
        var back = ReturnPath.Local(context.Request.Query["return"].ToString());
        var password = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(context.RequestAborted))["password"].ToString() : "";
        if (!Passwords.Verify(password))
        {
            context.Response.Redirect(LoginPath + "?error=1&return=" + Uri.EscapeDataString(back));
            return;
        }
        var session = new ClaimsIdentity([new Claim(SessionClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))], SessionScheme);
        // The checked path, never the raw query: the handler would follow any host-relative one.
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(session), new AuthenticationProperties { IsPersistent = true, RedirectUri = back });
        context.Response.Redirect(back);
    }

    private async Task LogoutAsync(HttpContext context)
    {
        var login = await context.AuthenticateAsync(SessionScheme);
        if (login.Principal?.FindFirst(SessionClaim) is { } session && login.Properties?.ExpiresUtc is { } expires)
        {
            _revoked.Add(session.Value, expires.ToUnixTimeSeconds());
        }
        await context.SignOutAsync(SessionScheme);
        context.Response.Redirect(LoginPath, permanent: false);
    }

    /// <summary>The login page, from the web root when it is built, with <paramref name="notice"/> in place of <see cref="NoticeMarker"/>.</summary>
    private async Task LoginPageAsync(HttpContext context, string? notice)
    {
        var file = Path.Combine(_options.WebRoot, "login.html");
        var page = File.Exists(file) ? await File.ReadAllTextAsync(file, context.RequestAborted) : BuiltInLoginPage;
        var shown = notice is null ? "" : $"<p class=\"login-error\" id=\"login-error\" role=\"alert\">{WebUtility.HtmlEncode(notice)}</p>";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(page.Replace(NoticeMarker, shown, StringComparison.Ordinal), context.RequestAborted);
    }

    private const string BuiltInLoginPage = $$"""
        <!doctype html>
        <html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Zakaz — вход</title>
        <style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh}form{display:grid;gap:.75rem;min-width:16rem}</style></head>
        <body><form method="post">
        <h1>Zakaz</h1>
        {{NoticeMarker}}
        <label>Пароль <input type="password" name="password" autocomplete="current-password" required autofocus></label>
        <button type="submit">Войти</button>
        </form></body></html>
        """;
}

/// <summary>The dashboard's options cannot be served as given; the message says what to change.</summary>
public sealed class DashboardConfigurationException(string message) : Exception(message);
