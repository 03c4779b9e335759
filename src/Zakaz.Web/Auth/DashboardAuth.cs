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
/// with a key made at startup, when a restart logs everyone out) or the read-only API token as a Bearer header; nobody needs either when the app
/// is open, which only a loopback address allows. The webhook and the probes have their own rules.
/// </summary>
internal sealed class DashboardAuth
{
    public const string CookieName = "zakaz_session";
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    // A wrong password costs the caller this much, so guessing over HTTP is slow.
    private static readonly TimeSpan FailedLoginDelay = TimeSpan.FromMilliseconds(500);

    private readonly DashboardOptions _options;
    private readonly byte[] _sessionKey;
    private readonly byte[]? _token;

    private DashboardAuth(DashboardOptions options)
    {
        _options = options;
        _sessionKey = options.SessionKey ?? RandomNumberGenerator.GetBytes(SessionKey.Bytes);
        _token = string.IsNullOrEmpty(options.ApiToken) ? null : Encoding.UTF8.GetBytes(options.ApiToken);
    }

    /// <summary>Checks the options and says what to set when the dashboard could not be reached or would be unprotected.</summary>
    public static DashboardAuth Create(DashboardOptions options)
    {
        if (options.Open)
        {
            if (!IsLoopback(options.Host))
            {
                throw new DashboardConfigurationException(
                    $"--open serves the dashboard without a login, which is allowed only on a loopback address, not on '{options.Host}': use --host 127.0.0.1, or drop --open and set ZAKAZ_DASHBOARD_PASSWORD_HASH or ZAKAZ_API_TOKEN.");
            }
            return new DashboardAuth(options);
        }
        if (string.IsNullOrEmpty(options.PasswordHash) && string.IsNullOrEmpty(options.ApiToken))
        {
            throw new DashboardConfigurationException(
                "The dashboard needs a login: set ZAKAZ_DASHBOARD_PASSWORD_HASH (make one with 'zakaz serve hash-password') or ZAKAZ_API_TOKEN, or use --open on 127.0.0.1.");
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
        if (_options.Open || IsPublic(context.Request.Path) || HasToken(context.Request) || HasSession(context.Request))
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
        endpoints.MapGet(LoginPath, context =>
        {
            var page = Path.Combine(_options.WebRoot, "login.html");
            context.Response.ContentType = "text/html; charset=utf-8";
            return File.Exists(page)
                ? context.Response.SendFileAsync(page, context.RequestAborted)
                : context.Response.WriteAsync(BuiltInLoginPage(context.Request.Query.ContainsKey("error")), context.RequestAborted);
        });
        endpoints.MapPost(LoginPath, LoginAsync);
        endpoints.MapPost(LogoutPath, context =>
        {
            context.Response.Cookies.Delete(CookieName, CookieOptions(context.Request));
            context.Response.Redirect(LoginPath, permanent: false);
            return Task.CompletedTask;
        });
    }

    private async Task LoginAsync(HttpContext context)
    {
        var back = context.Request.Query["return"].ToString();
        if (!IsLocalPath(back))
        {
            back = "/";
        }
        var password = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(context.RequestAborted))["password"].ToString() : "";
        if (_options.PasswordHash is not { Length: > 0 } hash || password.Length == 0 || !PasswordHash.Verify(password, hash))
        {
            await Task.Delay(FailedLoginDelay, context.RequestAborted);
            context.Response.Redirect(LoginPath + "?error=1&return=" + Uri.EscapeDataString(back));
            return;
        }
        var expires = _options.Time.GetUtcNow() + SessionLifetime;
        var cookie = CookieOptions(context.Request);
        cookie.Expires = expires;
        context.Response.Cookies.Append(CookieName, Session(expires.ToUnixTimeSeconds()), cookie);
        context.Response.Redirect(back);
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

    private bool HasSession(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || value.Split('.') is not [var expires, var signature])
        {
            return false;
        }
        return long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Session(seconds)), Encoding.ASCII.GetBytes(value))
            && seconds > _options.Time.GetUtcNow().ToUnixTimeSeconds()
            && signature.Length > 0;
    }

    private string Session(long expiresUnixSeconds)
    {
        var expires = expiresUnixSeconds.ToString(CultureInfo.InvariantCulture);
        return expires + "." + Convert.ToHexStringLower(HMACSHA256.HashData(_sessionKey, Encoding.ASCII.GetBytes(expires)));
    }

    private static CookieOptions CookieOptions(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };

    private static bool IsLocalPath(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal);

    private static string BuiltInLoginPage(bool failed) => $$"""
        <!doctype html>
        <html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Zakaz — вход</title>
        <style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh}form{display:grid;gap:.75rem;min-width:16rem}</style></head>
        <body><form method="post">
        <h1>Zakaz</h1>
        {{(failed ? "<p role=\"alert\">Неверный пароль.</p>" : "")}}
        <label>Пароль <input type="password" name="password" autocomplete="current-password" required autofocus></label>
        <button type="submit">Войти</button>
        </form></body></html>
        """;
}

/// <summary>The dashboard's options cannot be served as given; the message says what to change.</summary>
public sealed class DashboardConfigurationException(string message) : Exception(message);
