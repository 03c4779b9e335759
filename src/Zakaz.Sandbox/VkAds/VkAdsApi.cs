using System.Buffers;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.VkAds;

/// <summary>
/// The ads.vk.com API v2 routes the connector uses: the token endpoint (form posts, the live-token limit), <c>user.json</c>,
/// the object lists (explicit <c>fields</c>, <c>_status__in</c>, limit/offset, the <c>{count, offset, limit, items}</c>
/// envelope) and <c>statistics/banners/day.json</c> (money as strings, a row for every day, ERR_LIMIT_EXCEEDED beyond
/// the configured ids × days). Every answer carries the <c>X-RateLimit-*</c> headers; beyond the per-second limit it is 429.
/// </summary>
internal sealed class VkAdsApi(AdCabinet cabinet, TokenIssuer tokens, VkAdsFaults faults, VkAdsSandboxOptions options)
{
    private const int HourlyLimit = 100_000;
    private const int DailyLimit = 1_000_000;
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();
    private long _second;
    private int _thisSecond;
    private int _total;

    public async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "";
        string? route = path switch
        {
            "/api/v2/oauth2/token.json" or "/api/v2/oauth2/token/delete.json" => "token",
            "/api/v2/user.json" => "user",
            "/api/v2/ad_plans.json" => "ad_plans",
            "/api/v2/ad_groups.json" => "ad_groups",
            "/api/v2/banners.json" => "banners",
            "/api/v2/statistics/banners/day.json" => "stats",
            _ => null,
        };
        if (route is null)
        {
            await WriteAsync(context, 404, w => Error(w, "ERR_WRONG_RESOURCE", $"No such resource: {path}"));
            return;
        }
        int remaining = CountRequest(context.Response);
        VkAdsFaultKind? fault = faults.Arrive(route);
        if (remaining < 0 && fault is null)
        {
            fault = VkAdsFaultKind.TooManyRequests;
        }
        string? bearer = Bearer(context.Request);
        switch (fault)
        {
            case VkAdsFaultKind.TooManyRequests or VkAdsFaultKind.TooManyRequestsRetryAfter:
                if (fault == VkAdsFaultKind.TooManyRequestsRetryAfter)
                {
                    context.Response.Headers.RetryAfter = "0";
                }
                await WriteAsync(context, 429, w => Error(w, "ERR_TOO_MANY_REQUESTS", "Rate limit exceeded"));
                return;
            case VkAdsFaultKind.ServiceUnavailable or VkAdsFaultKind.InternalServerError:
                await WriteAsync(context, fault == VkAdsFaultKind.ServiceUnavailable ? 503 : 500, w => Error(w, "ERR_INTERNAL", "Internal error"));
                return;
            case VkAdsFaultKind.DropConnection:
                context.Abort();
                return;
            case VkAdsFaultKind.ExpireToken when route != "token" && bearer is not null:
                tokens.Expire(bearer);
                break;
            case VkAdsFaultKind.InvalidateToken when route != "token" && bearer is not null:
                tokens.Delete(bearer);
                break;
            case VkAdsFaultKind.Unauthorized when route != "token":
                await UnauthorizedAsync(context, "expired_token", "Access token expired");
                return;
        }
        if (route == "token")
        {
            await TokenAsync(context, path.EndsWith("delete.json", StringComparison.Ordinal));
            return;
        }
        IssuedToken? token = bearer is null ? null : tokens.Find(bearer);
        if (token is null)
        {
            await UnauthorizedAsync(context, "invalid_token", "Unknown access token");
            return;
        }
        if (token.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            await UnauthorizedAsync(context, "expired_token", "Access token expired");
            return;
        }
        IQueryCollection query = context.Request.Query;
        switch (route)
        {
            case "user":
                await WriteAsync(context, 200, w => JsonSerializer.Serialize(w, new
                {
                    id = AdCabinet.AccountId,
                    username = token.User.Length > 0 ? token.User : "promoter@example.test",
                    currency = "RUB",
                }));
                return;
            case "ad_plans":
                await ListAsync(context, cabinet.Plans, p => p.Status, p => [("id", p.Id), ("name", p.Name), ("status", p.Status)]);
                return;
            case "ad_groups":
                await ListAsync(context, cabinet.Groups, g => g.Status, g =>
                [
                    ("id", g.Id), ("name", g.Name), ("status", g.Status), ("ad_plan_id", g.AdPlanId), ("utm", g.Utm),
                    ("enable_utm", g.Utm.Length > 0),
                ]);
                return;
            case "banners":
                await ListAsync(context, cabinet.Banners, b => b.Status, b =>
                [
                    ("id", b.Id), ("name", b.Name), ("status", b.Status), ("ad_group_id", b.AdGroupId),
                    ("urls", new
                    {
                        primary = new
                        {
                            id = b.Id * 10,
                            url = b.Url,
                            url_object_type = b.Url.StartsWith("https://vk.com/", StringComparison.Ordinal) ? "vk_group" : "domain",
                        },
                    }),
                ]);
                return;
            default:
                await StatsAsync(context, query);
                return;
        }
    }

    /// <summary>-1 when this calendar second's share is spent; sets the rate-limit headers either way.</summary>
    private int CountRequest(HttpResponse response)
    {
        int remaining, total;
        lock (_gate)
        {
            long second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (second != _second)
            {
                _second = second;
                _thisSecond = 0;
            }
            _thisSecond++;
            total = ++_total;
            remaining = options.RequestsPerSecond - _thisSecond;
        }
        response.Headers["X-RateLimit-RPS-Limit"] = options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-RPS-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Hourly-Limit"] = HourlyLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Hourly-Remaining"] = Math.Max(0, HourlyLimit - total).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Daily-Limit"] = DailyLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Daily-Remaining"] = Math.Max(0, DailyLimit - total).ToString(CultureInfo.InvariantCulture);
        return remaining;
    }

    private async Task TokenAsync(HttpContext context, bool delete)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType)
        {
            await WriteAsync(context, 400, w => OAuthError(w, "invalid_request", "POST application/x-www-form-urlencoded expected"));
            return;
        }
        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        string grant = form["grant_type"].ToString();
        if (!tokens.IsClient(form["client_id"], form["client_secret"]))
        {
            await WriteAsync(context, 401, w => OAuthError(w, "invalid_client", "Invalid client id or secret"));
            return;
        }
        string user = form["agency_client_name"].ToString() is { Length: > 0 } name ? name : form["agency_client_id"].ToString();
        if (delete)
        {
            tokens.DeleteAll(form["username"].ToString() is { Length: > 0 } u ? u : user);
            context.Response.StatusCode = 204;
            return;
        }
        IssuedToken? issued = grant switch
        {
            "client_credentials" => tokens.Mint(""),
            "agency_client_credentials" when user.Length > 0 => tokens.Mint(user),
            "refresh_token" => tokens.Refresh(form["refresh_token"].ToString()),
            _ => null,
        };
        if (issued is null)
        {
            (int status, string code, string text) = grant switch
            {
                "client_credentials" or "agency_client_credentials" when user.Length > 0 || grant == "client_credentials" =>
                    (403, "token_limit_exceeded", $"The client already has {options.MaxTokens} tokens"),
                "refresh_token" => (400, "invalid_grant", "Unknown refresh token"),
                _ => (400, "unsupported_grant_type", $"Unsupported grant_type '{grant}'"),
            };
            await WriteAsync(context, status, w => OAuthError(w, code, text));
            return;
        }
        await WriteAsync(context, 200, w => JsonSerializer.Serialize(w, new
        {
            access_token = issued.AccessToken,
            token_type = "bearer",
            scope = (string[])["read_ads", "read_manager_clients"],
            // The platform sends expires_in both as a number and as a string; this one sends the string.
            expires_in = ((long)options.TokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            refresh_token = issued.RefreshToken,
        }));
    }

    /// <summary>A page of objects; <paramref name="columns"/> gives every field of one, its id first.</summary>
    private async Task ListAsync<T>(HttpContext context, List<T> all, Func<T, string> status, Func<T, (string Name, object Value)[]> columns)
    {
        IQueryCollection query = context.Request.Query;
        var fields = query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        // Without a status filter deleted objects are left out, the risk spec §2 warns about.
        var statuses = query["_status__in"].ToString() is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : ["active", "blocked"];
        int limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out int l) ? l : 20;
        int offset = int.TryParse(query["offset"], CultureInfo.InvariantCulture, out int o) ? o : 0;
        if (limit < 1 || limit > options.MaxPageLimit || offset < 0)
        {
            await WriteAsync(context, 400, w => w.WriteRawValue(
                "{\"error\":{\"code\":\"validation_failed\",\"message\":\"Invalid paging\",\"fields\":{\"limit\":{\"code\":\"invalid\"," +
                $"\"message\":\"limit must be 1..{options.MaxPageLimit}\"}}}}}}}}"));
            return;
        }
        List<T> matching = [.. all.Where(item => statuses.Contains(status(item)))];
        await WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", matching.Count);
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteStartArray("items");
            foreach (T item in matching.Skip(offset).Take(limit))
            {
                w.WriteStartObject();
                foreach ((string name, object value) in columns(item))
                {
                    // Without fields the platform answers only ids; with them, only what was asked.
                    if (name == "id" || fields.Contains(name))
                    {
                        w.WritePropertyName(name);
                        JsonSerializer.Serialize(w, value);
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task StatsAsync(HttpContext context, IQueryCollection query)
    {
        var ids = new List<long>();
        foreach (string part in query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, CultureInfo.InvariantCulture, out long id))
            {
                await WriteAsync(context, 400, w => Error(w, "ERR_WRONG_PARAMETER", $"Bad id '{part}'"));
                return;
            }
            ids.Add(id);
        }
        if (!DateOnly.TryParseExact(query["date_from"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly from) ||
            !DateOnly.TryParseExact(query["date_to"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly to) || from > to)
        {
            await WriteAsync(context, 400, w => Error(w, "ERR_WRONG_DATE", "date_from and date_to must be yyyy-MM-dd, from <= to"));
            return;
        }
        if (ids.Count == 0 || ids.Count > options.MaxStatsIds || to.DayNumber - from.DayNumber + 1 > options.MaxStatsDays)
        {
            await WriteAsync(context, 400, w => Error(w, "ERR_LIMIT_EXCEEDED", "Too many objects or dates"));
            return;
        }
        var known = cabinet.Banners.Select(b => b.Id).ToHashSet();
        if (ids.FirstOrDefault(id => !known.Contains(id)) is var unknown and not 0)
        {
            await WriteAsync(context, 400, w => Error(w, "ERR_WRONG_BANNERS", $"Banner {unknown} not found"));
            return;
        }
        await WriteAsync(context, 200, w => JsonSerializer.Serialize(w, new
        {
            items = ids.Select(id => new
            {
                id,
                rows = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(i => StatRow(id, from.AddDays(i))),
            }),
        }));
    }

    private object StatRow(long id, DateOnly date)
    {
        DayStat stat = cabinet.Stat(id, date);
        return new
        {
            date = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            @base = new
            {
                shows = stat.Shows,
                clicks = stat.Clicks,
                goals = 0,
                spent = stat.Spent.ToString("0.##", CultureInfo.InvariantCulture),
                cpm = stat.Shows == 0 ? "0" : Math.Round(stat.Spent * 1000 / stat.Shows, 2).ToString(CultureInfo.InvariantCulture),
                cpc = stat.Clicks == 0 ? "0" : Math.Round(stat.Spent / stat.Clicks, 2).ToString(CultureInfo.InvariantCulture),
                ctr = stat.Shows == 0 ? 0 : Math.Round((double)stat.Clicks / stat.Shows * 100, 4),
            },
        };
    }

    private static Task UnauthorizedAsync(HttpContext context, string code, string message)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"{code}\"";
        return WriteAsync(context, 401, w => JsonSerializer.Serialize(w, new { code, message }));
    }

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    private static void Error(Utf8JsonWriter w, string code, string message) =>
        JsonSerializer.Serialize(w, new { error = new { code, message } });

    private static void OAuthError(Utf8JsonWriter w, string code, string description) =>
        JsonSerializer.Serialize(w, new { error = code, error_description = description });

    internal static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            write(writer);
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
