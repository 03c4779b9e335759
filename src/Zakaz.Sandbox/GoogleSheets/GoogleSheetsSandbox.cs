using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.GoogleSheets;

/// <summary>A tab of a sandbox spreadsheet: its name (for API ranges), its gid (for CSV export URLs) and its cells.</summary>
public sealed record SandboxTab(string Name, long Gid, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// A local server speaking the Google HTTP that <c>zakaz sync sheets</c> uses, on 127.0.0.1: the CSV
/// export of link-shared sheets (a private one redirects to a sign-in page, as Google does), the
/// OAuth token endpoint for service accounts (the JWT's RS256 signature checked against the
/// account's public key, its audience, scope and lifetime), and the Sheets API v4 values route
/// (401 without a valid token, 403 when the sheet is not shared with the account, 404 for an
/// unknown spreadsheet, 400 for an unknown tab). Its <see cref="LoopbackSandbox.RootUrl"/> is the value of
/// <c>GOOGLE_SHEETS_API_URL</c>.
/// </summary>
public sealed class GoogleSheetsSandbox : LoopbackSandbox
{
    private const string SignInPath = "/ServiceLogin";
    private const string Json = "application/json; charset=utf-8";
    private const string Html = "text/html; charset=utf-8";

    private readonly ConcurrentDictionary<string, Spreadsheet> _spreadsheets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RSA> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private int _failuresLeft;
    private int _failureStatus;
    private int _faultsFired;

    private GoogleSheetsSandbox()
    {
    }

    /// <summary>Where service accounts get tokens: the <c>token_uri</c> of the key files it issues.</summary>
    public Uri TokenUrl => new(RootUrl, "token");

    public int TokensIssued => _tokens.Count;

    public int FaultsFired => _faultsFired;

    public static async Task<GoogleSheetsSandbox> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var sandbox = new GoogleSheetsSandbox();
        await sandbox.ListenAsync(port, sandbox.HandleAsync, cancellationToken);
        return sandbox;
    }

    /// <summary>Adds (or replaces) a spreadsheet; <paramref name="sharedByLink"/> makes its CSV export public.</summary>
    public void AddSpreadsheet(string id, bool sharedByLink, params SandboxTab[] tabs) =>
        _spreadsheets[id] = new Spreadsheet(sharedByLink, tabs, new ConcurrentDictionary<string, bool>(StringComparer.Ordinal));

    /// <summary>Shares a spreadsheet with a service account (as a viewer).</summary>
    public void Share(string spreadsheetId, string clientEmail) => _spreadsheets[spreadsheetId].Readers[clientEmail] = true;

    /// <summary>
    /// Registers a service account with a new RSA key and returns its JSON key file text, as the Google
    /// Cloud console would download it (generated at run time: no private key is ever committed).
    /// </summary>
    public string CreateServiceAccount(string clientEmail)
    {
        var key = RSA.Create(2048);
        _accounts[clientEmail] = key;
        return ServiceAccountKeyJson(clientEmail, key, TokenUrl);
    }

    /// <summary>The next <paramref name="count"/> requests, whatever the route, answer <paramref name="status"/> (a 503 or 429 storm).</summary>
    public void FailNext(int count, int status = 503)
    {
        _failureStatus = status;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>The CSV export URL of one tab, as Google's "File → Share → Publish / Download as CSV" gives it.</summary>
    public Uri ExportUrl(string spreadsheetId, long gid) => new(RootUrl, $"spreadsheets/d/{spreadsheetId}/export?format=csv&gid={gid}");

    public static string ServiceAccountKeyJson(string clientEmail, RSA key, Uri tokenUri) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = "zakaz-sandbox",
        ["private_key_id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
        ["private_key"] = key.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = clientEmail,
        ["client_id"] = "100000000000000000000",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = tokenUri.ToString(),
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var key in _accounts.Values)
        {
            key.Dispose();
        }
    }

    private Task HandleAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _faultsFired);
            return ApiError(context, _failureStatus, "UNAVAILABLE", "The service is currently unavailable.");
        }
        var path = context.Request.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (context.Request.Method, segments) switch
        {
            ("GET", ["spreadsheets", "d", var id, "export"]) => ExportAsync(context, id),
            ("GET", _) when path == SignInPath => Text(context, 200, Html, "<!doctype html><title>Sign in - Google Accounts</title>"),
            ("POST", ["token"]) => TokenAsync(context),
            ("GET", ["v4", "spreadsheets", var id, "values", var range]) => ValuesAsync(context, id, range),
            _ => ApiError(context, 404, "NOT_FOUND", "Not found."),
        };
    }

    private Task ExportAsync(HttpContext context, string id)
    {
        if (!_spreadsheets.TryGetValue(id, out var sheet))
        {
            return Text(context, 404, Html, "<!doctype html><title>Page not found</title>");
        }
        if (!sheet.SharedByLink)
        {
            context.Response.Redirect(SignInPath + "?continue=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }
        var gid = context.Request.Query["gid"].ToString();
        var tab = sheet.Tabs.FirstOrDefault(t => t.Gid.ToString(CultureInfo.InvariantCulture) == (gid.Length == 0 ? "0" : gid));
        if (context.Request.Query["format"] != "csv" || tab is null)
        {
            return Text(context, 400, Html, "<!doctype html><title>Bad request</title>");
        }
        string csv = string.Concat(tab.Rows.Select(row => string.Join(',', row.Select(Quote)) + "\r\n"));
        return Text(context, 200, "text/csv; charset=utf-8", csv);
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            await OAuthError(context, "unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
            return;
        }
        if (Verify(form["assertion"].ToString()) is { } problem)
        {
            await OAuthError(context, "invalid_grant", problem);
            return;
        }
        var email = Claims(form["assertion"].ToString()).GetProperty("iss").GetString()!;
        var token = "ya29.sandbox-" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        _tokens[token] = email;
        await Text(context, 200, Json, JsonSerializer.Serialize(new { access_token = token, expires_in = 3599, token_type = "Bearer" }));
    }

    // Google's checks and wording: the account, the signature, then the audience, scope and a lifetime of at most an hour around now.
    private string? Verify(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return "Invalid JWT: not three dot-separated parts.";
        }
        JsonElement header, claims;
        try
        {
            header = JsonDocument.Parse(Decode(parts[0])).RootElement;
            claims = JsonDocument.Parse(Decode(parts[1])).RootElement;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return "Invalid JWT: the header or the claims are not base64url JSON.";
        }
        if (!header.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
        {
            return "Invalid JWT: the algorithm must be RS256.";
        }
        var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() ?? "" : "";
        if (!_accounts.TryGetValue(issuer, out var key))
        {
            return "Invalid grant: account not found";
        }
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!key.VerifyData(signed, Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "Invalid JWT Signature.";
        }
        if (!claims.TryGetProperty("aud", out var aud) || aud.GetString() != TokenUrl.ToString())
        {
            return "Invalid JWT: the audience must be the token URI " + TokenUrl;
        }
        if (!claims.TryGetProperty("scope", out var scope) || !(scope.GetString() ?? "").Split(' ').Any(s => s.StartsWith("https://www.googleapis.com/auth/spreadsheets", StringComparison.Ordinal)))
        {
            return "Invalid JWT: no Sheets scope.";
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var issued = claims.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var i) ? i : 0;
        var expires = claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var x) ? x : 0;
        if (issued > now + 60 || expires <= now || expires - issued > 3600 || expires <= issued)
        {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";
        }
        return null;
    }

    private Task ValuesAsync(HttpContext context, string id, string range)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(authorization["Bearer ".Length..], out var email))
        {
            return ApiError(context, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.");
        }
        if (!_spreadsheets.TryGetValue(id, out var sheet))
        {
            return ApiError(context, 404, "NOT_FOUND", "Requested entity was not found.");
        }
        if (!sheet.Readers.ContainsKey(email))
        {
            return ApiError(context, 403, "PERMISSION_DENIED", "The caller does not have permission");
        }
        var bang = range.LastIndexOf('!');
        var name = (bang < 0 ? range : range[..bang]).Trim('\'');
        var tab = sheet.Tabs.FirstOrDefault(t => t.Name == name);
        if (tab is null)
        {
            return ApiError(context, 400, "INVALID_ARGUMENT", "Unable to parse range: " + range);
        }
        var cells = bang < 0 ? "" : range[(bang + 1)..];
        var digits = new string(cells.SkipWhile(char.IsAsciiLetter).TakeWhile(char.IsAsciiDigit).ToArray());
        var start = digits.Length == 0 ? 1 : int.Parse(digits, CultureInfo.InvariantCulture);
        // Google leaves out trailing empty cells of a row and trailing empty rows.
        var rows = tab.Rows.Skip(start - 1).Select(r => r.Reverse().SkipWhile(string.IsNullOrEmpty).Reverse().ToArray()).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return Text(context, 200, Json, JsonSerializer.Serialize(new
        {
            range = $"'{tab.Name}'!A{start}:Z{Math.Max(start, start + rows.Count - 1)}",
            majorDimension = "ROWS",
            values = rows,
        }));
    }

    private static JsonElement Claims(string jwt) => JsonDocument.Parse(Decode(jwt.Split('.')[1])).RootElement;

    private static byte[] Decode(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static Task Text(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    }

    private static Task OAuthError(HttpContext context, string error, string description) =>
        Text(context, 400, Json, JsonSerializer.Serialize(new { error, error_description = description }));

    private static Task ApiError(HttpContext context, int code, string status, string message) =>
        Text(context, code, Json, JsonSerializer.Serialize(new { error = new { code, message, status } }));

    private sealed record Spreadsheet(bool SharedByLink, IReadOnlyList<SandboxTab> Tabs, ConcurrentDictionary<string, bool> Readers);
}
