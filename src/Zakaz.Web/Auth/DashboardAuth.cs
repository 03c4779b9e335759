using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Zakaz.Web.Auth;

/// <summary>
/// Who may read the dashboard: a login with the configured password (a session cookie, HttpOnly,
/// SameSite=Strict, Secure over HTTPS, signed with <see cref="DashboardOptions.SessionKey"/>, or
/// with a key made at startup, when a restart logs everyone out; a logout revokes it) or the read-only
/// API token as a Bearer header; nobody needs either when the app is open, which only a loopback address
/// allows. Password guesses are bounded by <see cref="LoginLimits"/>. The webhook and the probes have
/// their own rules.
/// </summary>
internal sealed class DashboardAuth
{
    public const string CookieName = "zakaz_session";
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>Where the served login page says why the login was refused (see <c>login.html</c>).</summary>
    public const string NoticeMarker = "<!--login-notice-->";

    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private readonly DashboardOptions _options;
    private readonly byte[] _sessionKey;
    private readonly byte[]? _token;
    private readonly RevokedSessions _revoked;

    private DashboardAuth(DashboardOptions options)
    {
        _options = options;
        _sessionKey = options.SessionKey ?? RandomNumberGenerator.GetBytes(SessionKey.Bytes);
        _token = string.IsNullOrEmpty(options.ApiToken) ? null : Encoding.UTF8.GetBytes(options.ApiToken);
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
        if (!string.IsNullOrEmpty(options.ApiToken))
        {
            SessionKey.RequireLong(options.ApiToken, "ZAKAZ_API_TOKEN (Dashboard:ApiToken)", "openssl rand -hex 24");
        }
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

    /// <summary>Lets a request through, or answers 401 (API) or a redirect to the login page (pages).</summary>
    public async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        if (_options.Open || IsPublic(context.Request.Path) || HasToken(context.Request) || ReadSession(context.Request) is not null)
        {
            await next(context);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = "Log in at /login, or send the API token as 'Authorization: Bearer TOKEN'." }, Dashboard.Api.DashboardApi.Json, context.RequestAborted);
            return;
        }
        var back = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect(LoginPath + "?return=" + Uri.EscapeDataString(back));
    }

    public void MapLogin(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, context => LoginPageAsync(context, context.Request.Query.ContainsKey("error") ? "Неверный пароль." : null));
        endpoints.MapPost(LoginPath, LoginAsync).WithMetadata(LoginLimits.Marker);
        endpoints.MapPost(LogoutPath, context =>
        {
            if (ReadSession(context.Request) is { } session)
            {
                _revoked.Add(session.Id, session.Expires);
            }
            context.Response.Cookies.Delete(CookieName, CookieOptions(context.Request));
            context.Response.Redirect(LoginPath, permanent: false);
            return Task.CompletedTask;
        });
    }

    /// <summary>The answer to an attempt beyond <see cref="LoginLimits"/> (429, its Retry-After already set): the login page saying when to try again.</summary>
    public Task TooManyAttemptsAsync(HttpContext context)
    {
        var seconds = context.Response.Headers.RetryAfter.ToString();
        return LoginPageAsync(context, $"Слишком много попыток входа. Повторите через {seconds} с.");
    }

    private async Task LoginAsync(HttpContext context)
    {
        var back = ReturnPath.Local(context.Request.Query["return"].ToString());
        var password = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(context.RequestAborted))["password"].ToString() : "";
        if (!Passwords.Verify(password))
        {
            context.Response.Redirect(LoginPath + "?error=1&return=" + Uri.EscapeDataString(back));
            return;
        }
        var expires = (_options.Time.GetUtcNow() + SessionLifetime).ToUnixTimeSeconds();
        var cookie = CookieOptions(context.Request);
        cookie.Expires = DateTimeOffset.FromUnixTimeSeconds(expires);
        context.Response.Cookies.Append(CookieName, Cookie(new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), expires)), cookie);
        context.Response.Redirect(back);
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

    private static bool IsPublic(PathString path) =>
        path.StartsWithSegments(LoginPath, StringComparison.Ordinal) ||
        path.StartsWithSegments(LogoutPath, StringComparison.Ordinal) ||
        path.StartsWithSegments("/healthz", StringComparison.Ordinal) ||
        path.StartsWithSegments("/readyz", StringComparison.Ordinal) ||
        path.StartsWithSegments(Qtickets.QticketsWebhookEndpoints.Path, StringComparison.Ordinal);

    private bool HasToken(HttpRequest request)
    {
        if (_token is null)
        {
            return false;
        }
        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Prefix.Length..].Trim()), _token);
    }

    /// <summary>The session of the request's cookie when it is signed with this key, not expired and not logged out.</summary>
    private Session? ReadSession(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value)
            || value.Split('.') is not [var expires, var id, _]
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || id.Length == 0)
        {
            return null;
        }
        var session = new Session(id, seconds);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Cookie(session)), Encoding.ASCII.GetBytes(value))
            && seconds > _options.Time.GetUtcNow().ToUnixTimeSeconds()
            && !_revoked.Contains(id)
            ? session
            : null;
    }

    /// <summary><c>EXPIRES.ID.HMAC</c>: the id lets a logout revoke this session and no other.</summary>
    private string Cookie(Session session)
    {
        var signed = session.Expires.ToString(CultureInfo.InvariantCulture) + "." + session.Id;
        return signed + "." + Convert.ToHexStringLower(HMACSHA256.HashData(_sessionKey, Encoding.ASCII.GetBytes(signed)));
    }

    private static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };

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

    private sealed record Session(string Id, long Expires);
}

/// <summary>The dashboard's options cannot be served as given; the message says what to change.</summary>
public sealed class DashboardConfigurationException(string message) : Exception(message);
