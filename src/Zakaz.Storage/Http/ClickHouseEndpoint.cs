namespace Zakaz.Storage.Http;

/// <summary>Where a ClickHouse server is and how to log in: from <c>CLICKHOUSE_URL</c> or the host/port/user/... settings.</summary>
public sealed record ClickHouseEndpoint(Uri BaseUri, string User, string Password, string Database)
{
    public static ClickHouseEndpoint From(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            return FromUrl(options.Url, options);
        }
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            throw new ArgumentException("No ClickHouse server configured: set CLICKHOUSE_URL (or --clickhouse), or CLICKHOUSE_HOST.");
        }
        var scheme = options.Secure ? "https" : "http";
        var port = options.Port ?? (options.Secure ? 8443 : 8123);
        return new ClickHouseEndpoint(
            new UriBuilder(scheme, options.Host.Trim(), port).Uri, options.User ?? "default", options.Password ?? "", options.Database ?? "default");
    }

    private static ClickHouseEndpoint FromUrl(string url, StorageOptions options)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"CLICKHOUSE_URL must look like http://user:password@host:8123/database, not '{UrlPasswords.Mask(url)}'.");
        }
        string user = options.User ?? "default", password = options.Password ?? "";
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            // A URL without a password (what --clickhouse should carry, since ps shows it) takes CLICKHOUSE_PASSWORD's.
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : password;
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        // http://host/db means ClickHouse's default HTTP port, not port 80.
        var explicitPort = !uri.IsDefaultPort || url.Contains($"{uri.Host}:{uri.Port}", StringComparison.OrdinalIgnoreCase);
        var port = explicitPort ? uri.Port : uri.Scheme == "https" ? 8443 : 8123;
        return new ClickHouseEndpoint(
            new UriBuilder(uri.Scheme, uri.Host, port).Uri, user, password, database.Length > 0 ? database : options.Database ?? "default");
    }

    // Without the password: a record's generated ToString would print it.
    public string Display => $"{BaseUri.Scheme}://{User}@{BaseUri.Host}:{BaseUri.Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    public override string ToString() => Display;
}
