using System.Globalization;
using System.Net;
using System.Numerics;

namespace Zakaz.Configuration;

/// <summary>
/// The single table of settings: every appsettings.json key, environment variable and flag the loader accepts.
/// The configuration reference in the README is generated from it.
/// </summary>
public static class ConfigurationKeys
{
    public static IReadOnlyList<ConfigurationKey> All { get; } =
    [
        Text("Storage:DataDirectory", "ZAKAZ_DATA_DIR", "Embedded store directory.",
            o => o.Storage.DataDirectory, (o, v) => o.Storage.DataDirectory = v,
            kind: ConfigurationValueKind.Path, flag: "--data"),
        Text("Storage:ChDbLibrary", "ZAKAZ_CHDB_LIBRARY", "Path of libchdb.so; unset means the project's install cache.",
            o => o.Storage.ChDbLibrary, (o, v) => o.Storage.ChDbLibrary = v,
            kind: ConfigurationValueKind.Path),
        Url("Storage:Url", "CLICKHOUSE_URL",
            "ClickHouse server as http://user:password@host:8123/database. When both this and CLICKHOUSE_HOST are set, the URL wins.",
            o => o.Storage.Url, (o, v) => o.Storage.Url = v.OriginalString,
            flag: "--clickhouse"),
        Text("Storage:Host", "CLICKHOUSE_HOST", "ClickHouse server host; ignored when CLICKHOUSE_URL is set.",
            o => o.Storage.Host, (o, v) => o.Storage.Host = v),
        Number("Storage:Port", "CLICKHOUSE_PORT", "ClickHouse HTTP port; unset means 8123, or 8443 when secure.", 1, 65535,
            o => o.Storage.Port, (o, v) => o.Storage.Port = v),
        Text("Storage:User", "CLICKHOUSE_USER", "ClickHouse user; unset means 'default'.",
            o => o.Storage.User, (o, v) => o.Storage.User = v),
        Text("Storage:Password", "CLICKHOUSE_PASSWORD", "ClickHouse password.",
            o => o.Storage.Password, (o, v) => o.Storage.Password = v,
            secret: true),
        Text("Storage:PasswordFile", "CLICKHOUSE_PASSWORD_FILE", "File holding the ClickHouse password (owner-only; a final newline is ignored), used instead of CLICKHOUSE_PASSWORD: the way to give --clickhouse http://user@host:8123/database a password that ps does not show.",
            o => o.Storage.PasswordFile, (o, v) => o.Storage.PasswordFile = v,
            kind: ConfigurationValueKind.Path, flag: "--clickhouse-password-file"),
        Text("Storage:Database", "CLICKHOUSE_DB", "ClickHouse database; unset means 'default'.",
            o => o.Storage.Database, (o, v) => o.Storage.Database = v),
        Switch("Storage:Secure", "CLICKHOUSE_SECURE", "Reach CLICKHOUSE_HOST over HTTPS.",
            o => o.Storage.Secure, (o, v) => o.Storage.Secure = v),
        Seconds("Storage:Timeout", "CLICKHOUSE_TIMEOUT_SECONDS", "Per-request limit for the ClickHouse server, in seconds (at most 86400).",
            o => o.Storage.Timeout, (o, v) => o.Storage.Timeout = v),
        Switch("Storage:Compression", "CLICKHOUSE_COMPRESSION", "Gzip requests to the ClickHouse server and accept compressed answers.",
            o => o.Storage.Compression, (o, v) => o.Storage.Compression = v),
        Url("Storage:ReaderUrl", "CLICKHOUSE_READER_URL",
            "ClickHouse server URL of a user with the zakaz_reader role, through which zakaz serve answers every page; unset means the main connection with readonly=1 on every query.",
            o => o.Storage.ReaderUrl, (o, v) => o.Storage.ReaderUrl = v.OriginalString),
        Text("Storage:SecretsKey", "ZAKAZ_SECRETS_KEY", "Random text of at least 32 characters whose key seals the VK Ads tokens and a generated buyer-key secret in a ClickHouse server's tables; required there, the same for every Zakaz process on that server (the embedded store keeps its key in secrets.key in the data directory).",
            o => o.Storage.SecretsKey, (o, v) => o.Storage.SecretsKey = v,
            secret: true),
        Text("Qtickets:Token", "QTICKETS_TOKEN", "Qtickets API token.",
            o => o.Qtickets.Token, (o, v) => o.Qtickets.Token = v,
            secret: true),
        Url("Qtickets:BaseUrl", "QTICKETS_BASE_URL", "Qtickets REST API root.",
            o => o.Qtickets.BaseUrl.OriginalString, (o, v) => o.Qtickets.BaseUrl = v),
        Number("Qtickets:InitialBackfillDays", "QTICKETS_INITIAL_BACKFILL_DAYS", "Days of history the first sync loads (at most 3650).", 1, 3650,
            o => o.Qtickets.InitialBackfillDays, (o, v) => o.Qtickets.InitialBackfillDays = v),
        Number("Qtickets:LookbackHours", "QTICKETS_LOOKBACK_HOURS", "Hours before the last successful sync's start that the next sync reads again (at most 720; older changes are the reconcile's).", 0, 720,
            o => o.Qtickets.LookbackHours, (o, v) => o.Qtickets.LookbackHours = v),
        Number("Qtickets:ReconcileDays", "QTICKETS_RECONCILE_DAYS", "Days after an event's last show during which the nightly reconcile still re-reads its orders (late refunds and cancellations); events with future shows always are.", 0, 3660,
            o => o.Qtickets.ReconcileDays, (o, v) => o.Qtickets.ReconcileDays = v),
        Text("Qtickets:BuyerKeySecret", "ZAKAZ_BUYER_KEY_SECRET", "Key of the HMAC that stores buyers as buyer_key (at least 16 bytes); unset means one generated per store and kept in zakaz.meta_secrets, sealed with the store's key.",
            o => o.Qtickets.BuyerKeySecret, (o, v) => o.Qtickets.BuyerKeySecret = v,
            secret: true),
        Text("Qtickets:WebhookSecret", "QTICKETS_WEBHOOK_SECRET", "Secret of the Qtickets webhooks (the key of their X-Signature HMAC); unset means POST /webhooks/qtickets answers 503.",
            o => o.Qtickets.WebhookSecret, (o, v) => o.Qtickets.WebhookSecret = v,
            secret: true),
        Text("VkAds:ClientId", "VK_ADS_CLIENT_ID", "VK Ads API client id.",
            o => o.VkAds.ClientId, (o, v) => o.VkAds.ClientId = v),
        Text("VkAds:ClientSecret", "VK_ADS_CLIENT_SECRET", "VK Ads API client secret.",
            o => o.VkAds.ClientSecret, (o, v) => o.VkAds.ClientSecret = v,
            secret: true),
        Url("VkAds:BaseUrl", "VK_ADS_BASE_URL", "VK Ads API root.",
            o => o.VkAds.BaseUrl.OriginalString, (o, v) => o.VkAds.BaseUrl = v),
        Text("VkAds:AgencyClient", "VK_ADS_AGENCY_CLIENT", "An agency's client (username or user id) to read with agency_client_credentials; unset reads the app's own account.",
            o => o.VkAds.AgencyClient, (o, v) => o.VkAds.AgencyClient = v),
        Number("VkAds:LookbackDays", "VK_ADS_LOOKBACK_DAYS", "Days up to yesterday (Moscow) that every VK Ads sync reads again, because recent figures are restated.", 1, 366,
            o => o.VkAds.LookbackDays, (o, v) => o.VkAds.LookbackDays = v),
        Url("GoogleSheets:PlanUrl", "GOOGLE_SHEETS_PLAN_URL", "CSV export URL of the plan tab of a link-shared Google Sheet (https://docs.google.com/spreadsheets/d/ID/export?format=csv&gid=GID).",
            o => o.GoogleSheets.PlanUrl?.OriginalString, (o, v) => o.GoogleSheets.PlanUrl = v),
        Url("GoogleSheets:InventoryUrl", "GOOGLE_SHEETS_INVENTORY_URL", "CSV export URL of the inventory tab (event_id, capacity, tickets_left), the fallback for events Qtickets has no seats for.",
            o => o.GoogleSheets.InventoryUrl?.OriginalString, (o, v) => o.GoogleSheets.InventoryUrl = v),
        Text("GoogleSheets:SpreadsheetId", "GOOGLE_SHEETS_SPREADSHEET_ID", "Spreadsheet read through the Sheets API v4 with the service account, when no CSV export URL is set.",
            o => o.GoogleSheets.SpreadsheetId, (o, v) => o.GoogleSheets.SpreadsheetId = v),
        Text("GoogleSheets:PlanRange", "GOOGLE_SHEETS_PLAN_RANGE", "A1 range of the plan tab for the API, e.g. План or План!A1:E.",
            o => o.GoogleSheets.PlanRange, (o, v) => o.GoogleSheets.PlanRange = v),
        Text("GoogleSheets:InventoryRange", "GOOGLE_SHEETS_INVENTORY_RANGE", "A1 range of the inventory tab for the API.",
            o => o.GoogleSheets.InventoryRange, (o, v) => o.GoogleSheets.InventoryRange = v),
        Text("GoogleSheets:ServiceAccountKeyFile", "GOOGLE_SERVICE_ACCOUNT_KEY_FILE", "JSON key file of the Google service account the spreadsheet is shared with (its token_uri is where tokens come from).",
            o => o.GoogleSheets.ServiceAccountKeyFile, (o, v) => o.GoogleSheets.ServiceAccountKeyFile = v,
            kind: ConfigurationValueKind.Path),
        Url("GoogleSheets:ApiUrl", "GOOGLE_SHEETS_API_URL", "Sheets API root.",
            o => o.GoogleSheets.ApiUrl.OriginalString, (o, v) => o.GoogleSheets.ApiUrl = v),
        Text("Dashboard:PasswordHash", "ZAKAZ_DASHBOARD_PASSWORD_HASH", "The dashboard's login password as pbkdf2-sha256$ITERATIONS$SALT$HASH (make it with zakaz serve hash-password).",
            o => o.Dashboard.PasswordHash, (o, v) => o.Dashboard.PasswordHash = v,
            secret: true),
        Text("Dashboard:ApiToken", "ZAKAZ_API_TOKEN", "Read-only token for the dashboard's JSON API, sent as Authorization: Bearer TOKEN.",
            o => o.Dashboard.ApiToken, (o, v) => o.Dashboard.ApiToken = v,
            secret: true),
        Text("Dashboard:SessionKey", "ZAKAZ_DASHBOARD_SESSION_KEY", "Long random text that signs the login cookies, so a restart keeps people logged in (default: a key file in the data directory on the embedded store, else a new key at each start).",
            o => o.Dashboard.SessionKey, (o, v) => o.Dashboard.SessionKey = v,
            secret: true),
        Networks("Dashboard:TrustedProxies", "ZAKAZ_DASHBOARD_TRUSTED_PROXIES", "Comma-separated addresses and CIDR networks of the reverse proxies in front of zakaz serve whose X-Forwarded-For and X-Forwarded-Proto are believed (the client address the login limits count, HTTPS for the Secure cookie); unset ignores those headers.",
            o => o.Dashboard.TrustedProxies, (o, v) => o.Dashboard.TrustedProxies = v),
        Number("Dashboard:QticketsSyncMinutes", "ZAKAZ_SCHEDULE_QTICKETS_MINUTES", "Minutes between the Qtickets order syncs zakaz serve runs (qtickets.orders).", 1, 7 * 24 * 60,
            o => o.Dashboard.QticketsSyncMinutes, (o, v) => o.Dashboard.QticketsSyncMinutes = v),
        Number("Dashboard:QticketsInventoryMinutes", "ZAKAZ_SCHEDULE_QTICKETS_INVENTORY_MINUTES", "Minutes between the Qtickets inventory syncs zakaz serve runs (qtickets.inventory).", 1, 7 * 24 * 60,
            o => o.Dashboard.QticketsInventoryMinutes, (o, v) => o.Dashboard.QticketsInventoryMinutes = v),
        TimeOfDay("Dashboard:ReconcileTime", "ZAKAZ_SCHEDULE_RECONCILE_TIME", "Moscow time (HH:mm or HH:mm:ss) at which zakaz serve reconciles Qtickets orders: those of recent events Monday to Saturday (qtickets.reconcile), every order on Sundays (qtickets.reconcile_full).",
            o => o.Dashboard.ReconcileTime, (o, v) => o.Dashboard.ReconcileTime = v),
        Number("Dashboard:VkAdsSyncMinutes", "ZAKAZ_SCHEDULE_VK_ADS_MINUTES", "Minutes between the VK Ads syncs zakaz serve runs (vk_ads.daily; each re-reads VK_ADS_LOOKBACK_DAYS).", 1, 7 * 24 * 60,
            o => o.Dashboard.VkAdsSyncMinutes, (o, v) => o.Dashboard.VkAdsSyncMinutes = v),
        Number("Dashboard:AnswerCacheSeconds", "ZAKAZ_DASHBOARD_CACHE_SECONDS", "Seconds an API answer of zakaz serve may be served again without asking the store (a scheduled run drops it sooner; 0 turns the cache off).", 0, 3600,
            o => o.Dashboard.AnswerCacheSeconds, (o, v) => o.Dashboard.AnswerCacheSeconds = v),
        Switch("Verbose", "ZAKAZ_VERBOSE", "Print progress details.",
            o => o.Verbose, (o, v) => o.Verbose = v,
            flag: "--verbose"),
    ];

    // Declared after All: static initializers run in textual order.
    private static readonly Dictionary<string, ConfigurationKey> ByKey =
        All.ToDictionary(k => k.Key, StringComparer.OrdinalIgnoreCase);

    // Environment names are case-sensitive, as they are on Linux.
    private static readonly Dictionary<string, ConfigurationKey> ByEnvironmentVariable =
        All.ToDictionary(k => k.EnvironmentVariable, StringComparer.Ordinal);

    private static readonly Dictionary<string, ConfigurationKey> ByFlag =
        All.Where(k => k.CommandLineFlag is not null).ToDictionary(k => k.CommandLineFlag!, StringComparer.Ordinal);

    /// <summary>The setting with this appsettings.json key, matched case-insensitively.</summary>
    public static ConfigurationKey? FindByKey(string key) => ByKey.GetValueOrDefault(key);

    public static ConfigurationKey? FindByEnvironmentVariable(string name) => ByEnvironmentVariable.GetValueOrDefault(name);

    /// <summary>The setting with this flag, given with or without its leading dashes.</summary>
    public static ConfigurationKey? FindByFlag(string flag) => ByFlag.GetValueOrDefault("--" + flag.TrimStart('-'));

    private static ConfigurationKey Text(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, string?> get,
        Action<ZakazOptions, string> set,
        ConfigurationValueKind kind = ConfigurationValueKind.Text,
        bool secret = false,
        string? flag = null) =>
        new(key, environmentVariable, flag, description, kind, secret, get, (options, text) =>
        {
            set(options, text);
            return null;
        });

    private static ConfigurationKey Number(
        string key,
        string environmentVariable,
        string description,
        int min,
        int max,
        Func<ZakazOptions, int?> get,
        Action<ZakazOptions, int> set) =>
        new(key, environmentVariable, null, description, ConfigurationValueKind.Number, false,
            o => get(o)?.ToString(CultureInfo.InvariantCulture),
            (options, text) =>
            {
                // Parsed whole, so a number too long for an int is out of range rather than "not a number".
                if (!BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    return "is not a number";
                }
                if (value < min || value > max)
                {
                    return $"must be between {min} and {max}";
                }
                set(options, (int)value);
                return null;
            });

    private static ConfigurationKey Switch(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, bool> get,
        Action<ZakazOptions, bool> set,
        string? flag = null) =>
        new(key, environmentVariable, flag, description, ConfigurationValueKind.Boolean, false,
            o => get(o) ? "true" : "false",
            (options, text) =>
            {
                bool? value = text.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "on" => true,
                    "false" or "0" or "no" or "off" => false,
                    _ => null,
                };
                if (value is null)
                {
                    return "is not true/false (also accepted: 1/0, yes/no, on/off)";
                }
                set(options, value.Value);
                return null;
            });

    private static ConfigurationKey Url(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, string?> get,
        Action<ZakazOptions, Uri> set,
        string? flag = null) =>
        new(key, environmentVariable, flag, description, ConfigurationValueKind.Url, false, get, (options, text) =>
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return "is not an absolute http:// or https:// URL";
            }
            set(options, uri);
            return null;
        });

    private static ConfigurationKey Networks(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, IReadOnlyList<IPNetwork>> get,
        Action<ZakazOptions, IReadOnlyList<IPNetwork>> set) =>
        new(key, environmentVariable, null, description, ConfigurationValueKind.Text, false,
            o => string.Join(',', get(o)),
            (options, text) =>
            {
                var networks = new List<IPNetwork>();
                foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (IPAddress.TryParse(item, out var address) && !item.Contains('/', StringComparison.Ordinal))
                    {
                        networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
                    }
                    else if (IPNetwork.TryParse(item, out var network))
                    {
                        networks.Add(network);
                    }
                    else
                    {
                        return $"has '{item}', which is neither an IP address nor a network like 10.0.0.0/8";
                    }
                }
                set(options, networks);
                return null;
            });
    /// <summary>A day: no single request should run longer, and timers refuse spans much beyond a month.</summary>
    private const int MaxSeconds = 86_400;

    private static ConfigurationKey TimeOfDay(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, TimeOnly> get,
        Action<ZakazOptions, TimeOnly> set) =>
        new(key, environmentVariable, null, description, ConfigurationValueKind.TimeOfDay, false,
            o => get(o).ToString(get(o).Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture),
            (options, text) =>
            {
                if (!TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    return "is not a time of day as HH:mm or HH:mm:ss (e.g. 04:00)";
                }
                set(options, time);
                return null;
            });

    private static ConfigurationKey Seconds(
        string key,
        string environmentVariable,
        string description,
        Func<ZakazOptions, TimeSpan> get,
        Action<ZakazOptions, TimeSpan> set) =>
        new(key, environmentVariable, null, description, ConfigurationValueKind.Seconds, false,
            o => get(o).TotalSeconds.ToString(CultureInfo.InvariantCulture),
            (options, text) =>
            {
                if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    || !double.IsFinite(seconds))
                {
                    return "is not a number of seconds";
                }
                if (seconds <= 0)
                {
                    return "must be a positive number of seconds";
                }
                if (seconds > MaxSeconds)
                {
                    return $"must be at most {MaxSeconds} seconds (a day)";
                }
                set(options, TimeSpan.FromSeconds(seconds));
                return null;
            });
}
