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
            kind: ConfigurationValueKind.Path, flag: "--data"),
        Text("Storage:ChDbLibrary", "ZAKAZ_CHDB_LIBRARY", "Path of libchdb.so; unset means the project's install cache.",
            kind: ConfigurationValueKind.Path),
        Url("Storage:Url", "CLICKHOUSE_URL",
            "ClickHouse server as http://user:password@host:8123/database. When both this and CLICKHOUSE_HOST are set, the URL wins.",
            flag: "--clickhouse"),
        Text("Storage:Host", "CLICKHOUSE_HOST", "ClickHouse server host; ignored when CLICKHOUSE_URL is set."),
        Number("Storage:Port", "CLICKHOUSE_PORT", "ClickHouse HTTP port; unset means 8123, or 8443 when secure.", 1, 65535),
        Text("Storage:User", "CLICKHOUSE_USER", "ClickHouse user; unset means 'default'."),
        Text("Storage:Password", "CLICKHOUSE_PASSWORD", "ClickHouse password.",
            secret: true),
        Text("Storage:PasswordFile", "CLICKHOUSE_PASSWORD_FILE", "File holding the ClickHouse password (owner-only; a final newline is ignored), used instead of CLICKHOUSE_PASSWORD: the way to give --clickhouse http://user@host:8123/database a password that ps does not show.",
            kind: ConfigurationValueKind.Path, flag: "--clickhouse-password-file"),
        Text("Storage:Database", "CLICKHOUSE_DB", "ClickHouse database; unset means 'default'."),
        Switch("Storage:Secure", "CLICKHOUSE_SECURE", "Reach CLICKHOUSE_HOST over HTTPS."),
        Seconds("Storage:Timeout", "CLICKHOUSE_TIMEOUT_SECONDS", "Per-request limit for the ClickHouse server, in seconds (at most 86400)."),
        Switch("Storage:Compression", "CLICKHOUSE_COMPRESSION", "Gzip requests to the ClickHouse server and accept compressed answers."),
        Url("Storage:ReaderUrl", "CLICKHOUSE_READER_URL",
            "ClickHouse server URL of a user with the zakaz_reader role, through which zakaz serve answers every page; unset means the main connection with readonly=1 on every query."),
        Text("Storage:SecretsKey", "ZAKAZ_SECRETS_KEY", "Random text of at least 32 characters whose key seals the VK Ads tokens and a generated buyer-key secret in a ClickHouse server's tables; required there, the same for every Zakaz process on that server (the embedded store keeps its key in secrets.key in the data directory).",
            secret: true),
        Text("Qtickets:Token", "QTICKETS_TOKEN", "Qtickets API token.",
            secret: true),
        Url("Qtickets:BaseUrl", "QTICKETS_BASE_URL", "Qtickets REST API root."),
        Number("Qtickets:InitialBackfillDays", "QTICKETS_INITIAL_BACKFILL_DAYS", "Days of history the first sync loads (at most 3650).", 1, 3650),
        Number("Qtickets:LookbackHours", "QTICKETS_LOOKBACK_HOURS", "Hours before the last successful sync's start that the next sync reads again (at most 720; older changes are the reconcile's).", 0, 720),
        Number("Qtickets:ReconcileDays", "QTICKETS_RECONCILE_DAYS", "Days after an event's last show during which the nightly reconcile still re-reads its orders (late refunds and cancellations); events with future shows always are.", 0, 3660),
        Text("Qtickets:BuyerKeySecret", "ZAKAZ_BUYER_KEY_SECRET", "Key of the HMAC that stores buyers as buyer_key (at least 16 bytes); unset means one generated per store and kept in zakaz.meta_secrets, sealed with the store's key.",
            secret: true),
        Text("Qtickets:WebhookSecret", "QTICKETS_WEBHOOK_SECRET", "Secret of the Qtickets webhooks (the key of their X-Signature HMAC); unset means POST /webhooks/qtickets answers 503.",
            secret: true),
        Text("VkAds:ClientId", "VK_ADS_CLIENT_ID", "VK Ads API client id."),
        Text("VkAds:ClientSecret", "VK_ADS_CLIENT_SECRET", "VK Ads API client secret.",
            secret: true),
        Url("VkAds:BaseUrl", "VK_ADS_BASE_URL", "VK Ads API root."),
        Text("VkAds:AgencyClient", "VK_ADS_AGENCY_CLIENT", "An agency's client (username or user id) to read with agency_client_credentials; unset reads the app's own account."),
        Number("VkAds:LookbackDays", "VK_ADS_LOOKBACK_DAYS", "Days up to yesterday (Moscow) that every VK Ads sync reads again, because recent figures are restated.", 1, 366),
        Text("YandexDirect:Token", "YANDEX_DIRECT_TOKEN", "Yandex Direct API OAuth token (scope direct:api, issued at oauth.yandex.ru; valid about a year).",
            secret: true),
        Text("YandexDirect:ClientLogin", "YANDEX_DIRECT_CLIENT_LOGIN", "The advertiser's login, sent as Client-Login, when the token belongs to an agency representative; unset reads the token's own account."),
        Url("YandexDirect:BaseUrl", "YANDEX_DIRECT_BASE_URL", "Yandex Direct JSON API v5 root (https://api-sandbox.direct.yandex.com/json/v5/ is the vendor's sandbox)."),
        Number("YandexDirect:LookbackDays", "YANDEX_DIRECT_LOOKBACK_DAYS", "Days up to yesterday (Moscow) that every Yandex Direct sync reads again, because Direct restates recent statistics.", 1, 366),
        Switch("YandexDirect:IncludeVat", "YANDEX_DIRECT_INCLUDE_VAT", "Read Direct's costs with VAT (IncludeVAT YES), as VK Ads spend and ticket revenue are; false reads them without."),
        Url("GoogleSheets:PlanUrl", "GOOGLE_SHEETS_PLAN_URL", "CSV export URL of the plan tab of a link-shared Google Sheet (https://docs.google.com/spreadsheets/d/ID/export?format=csv&gid=GID)."),
        Url("GoogleSheets:InventoryUrl", "GOOGLE_SHEETS_INVENTORY_URL", "CSV export URL of the inventory tab (event_id, capacity, tickets_left), the fallback for events Qtickets has no seats for."),
        Text("GoogleSheets:SpreadsheetId", "GOOGLE_SHEETS_SPREADSHEET_ID", "Spreadsheet read through the Sheets API v4 with the service account, when no CSV export URL is set."),
        Text("GoogleSheets:PlanRange", "GOOGLE_SHEETS_PLAN_RANGE", "A1 range of the plan tab for the API, e.g. План or План!A1:E."),
        Text("GoogleSheets:InventoryRange", "GOOGLE_SHEETS_INVENTORY_RANGE", "A1 range of the inventory tab for the API."),
        Text("GoogleSheets:ServiceAccountKeyFile", "GOOGLE_SERVICE_ACCOUNT_KEY_FILE", "JSON key file of the Google service account the spreadsheet is shared with (its token_uri is where tokens come from).",
            kind: ConfigurationValueKind.Path),
        Url("GoogleSheets:ApiUrl", "GOOGLE_SHEETS_API_URL", "Sheets API root."),
        Text("Dashboard:PasswordHash", "ZAKAZ_DASHBOARD_PASSWORD_HASH", "The dashboard's login password as pbkdf2-sha256$ITERATIONS$SALT$HASH (make it with zakaz serve hash-password).",
            secret: true),
        Text("Dashboard:ApiToken", "ZAKAZ_API_TOKEN", "Read-only token for the dashboard's JSON API, sent as Authorization: Bearer TOKEN.",
            secret: true),
        Text("Dashboard:SessionKey", "ZAKAZ_DASHBOARD_SESSION_KEY", "Long random text from which the key sealing the login cookies is derived, so a restart, or another instance with the same text, keeps people logged in (default: Data Protection keys kept owner-only in dashboard-keys/ of the data directory on the embedded store, else a new key at each start).",
            secret: true),
        Networks("Dashboard:TrustedProxies", "ZAKAZ_DASHBOARD_TRUSTED_PROXIES", "Comma-separated addresses and CIDR networks of the reverse proxies in front of zakaz serve whose X-Forwarded-For and X-Forwarded-Proto are believed (the client address the login limits count, HTTPS for the Secure cookie); unset ignores those headers."),
        Number("Dashboard:QticketsSyncMinutes", "ZAKAZ_SCHEDULE_QTICKETS_MINUTES", "Minutes between the Qtickets order syncs zakaz serve runs (qtickets.orders).", 1, 7 * 24 * 60),
        Number("Dashboard:QticketsInventoryMinutes", "ZAKAZ_SCHEDULE_QTICKETS_INVENTORY_MINUTES", "Minutes between the Qtickets inventory syncs zakaz serve runs (qtickets.inventory).", 1, 7 * 24 * 60),
        TimeOfDay("Dashboard:ReconcileTime", "ZAKAZ_SCHEDULE_RECONCILE_TIME", "Moscow time (HH:mm or HH:mm:ss) at which zakaz serve reconciles Qtickets orders: those of recent events Monday to Saturday (qtickets.reconcile), every order on Sundays (qtickets.reconcile_full)."),
        Number("Dashboard:VkAdsSyncMinutes", "ZAKAZ_SCHEDULE_VK_ADS_MINUTES", "Minutes between the VK Ads syncs zakaz serve runs (vk_ads.daily; each re-reads VK_ADS_LOOKBACK_DAYS).", 1, 7 * 24 * 60),
        Number("Dashboard:YandexDirectSyncMinutes", "ZAKAZ_SCHEDULE_YANDEX_DIRECT_MINUTES", "Minutes between the Yandex Direct syncs zakaz serve runs (yandex_direct.daily; each re-reads YANDEX_DIRECT_LOOKBACK_DAYS).", 1, 7 * 24 * 60),
        Number("Freshness:QticketsAmberMinutes", "ZAKAZ_FRESHNESS_QTICKETS_AMBER_MINUTES", "Minutes after the last successful Qtickets load at which its light in bi.v_ops_freshness turns amber (default 120).", 1, 7 * 24 * 60),
        Number("Freshness:QticketsRedMinutes", "ZAKAZ_FRESHNESS_QTICKETS_RED_MINUTES", "Minutes after which it turns red (default 360).", 1, 30 * 24 * 60),
        Number("Freshness:VkAdsAmberMinutes", "ZAKAZ_FRESHNESS_VK_ADS_AMBER_MINUTES", "The same for VK Ads: amber after (default 120).", 1, 7 * 24 * 60),
        Number("Freshness:VkAdsRedMinutes", "ZAKAZ_FRESHNESS_VK_ADS_RED_MINUTES", "Red after (default 360).", 1, 30 * 24 * 60),
        Number("Freshness:YandexDirectAmberMinutes", "ZAKAZ_FRESHNESS_YANDEX_DIRECT_AMBER_MINUTES", "The same for Yandex Direct, loaded every 3 hours by default: amber after (default 240).", 1, 7 * 24 * 60),
        Number("Freshness:YandexDirectRedMinutes", "ZAKAZ_FRESHNESS_YANDEX_DIRECT_RED_MINUTES", "Red after (default 720).", 1, 30 * 24 * 60),
        Number("Dashboard:AnswerCacheSeconds", "ZAKAZ_DASHBOARD_CACHE_SECONDS", "Seconds an API answer of zakaz serve may be served again without asking the store (a scheduled run drops it sooner; 0 turns the cache off).", 0, 3600),
        Number("Dashboard:RoasGreenPercent", "ZAKAZ_DASHBOARD_ROAS_GREEN_PERCENT", "ROAS on attributed revenue, in percent, above which the Marketing and City pages light a city or campaign green (default 150: ROAS > 1.5).", 1, 100_000),
        Number("Dashboard:RoasAmberPercent", "ZAKAZ_DASHBOARD_ROAS_AMBER_PERCENT", "ROAS in percent from which a city or campaign is amber rather than red, at most the green one (default 100: ROAS 1 to 1.5 amber, below 1 red).", 1, 100_000),
        Url("Dashboard:PublicUrl", "ZAKAZ_DASHBOARD_PUBLIC_URL", "The address people open the dashboard at (e.g. https://zakaz.example.ru), linked from alerts and the digest; unset sends no link."),
        Text("Channels:TelegramBotToken", "ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN", "Token of the Telegram bot (from @BotFather) that sends alerts and the digest.",
            secret: true),
        Text("Channels:TelegramChatId", "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID", "Chats the bot writes to: chat ids (numbers) or @channel names, separated by commas."),
        Url("Channels:TelegramApiUrl", "ZAKAZ_ALERTS_TELEGRAM_API_URL", "Telegram Bot API root (a local Bot API server or a stand-in for tests)."),
        Text("Channels:SmtpHost", "ZAKAZ_ALERTS_SMTP_HOST", "SMTP server that sends alerts and the digest by e-mail; unset sends no e-mail."),
        Number("Channels:SmtpPort", "ZAKAZ_ALERTS_SMTP_PORT", "SMTP port; unset means 587 for starttls, 465 for tls, 25 for none.", 1, 65535),
        Choice("Channels:SmtpSecurity", "ZAKAZ_ALERTS_SMTP_SECURITY", "How the SMTP connection is protected: starttls (upgrade after connecting), tls (TLS from the start) or none.",
            "starttls", "tls", "none"),
        Text("Channels:SmtpUser", "ZAKAZ_ALERTS_SMTP_USER", "SMTP login; unset sends without authenticating."),
        Text("Channels:SmtpPassword", "ZAKAZ_ALERTS_SMTP_PASSWORD", "SMTP password.",
            secret: true),
        Text("Channels:SmtpFrom", "ZAKAZ_ALERTS_SMTP_FROM", "Sender address of the e-mails, e.g. Zakaz <zakaz@example.ru>."),
        Text("Channels:SmtpTo", "ZAKAZ_ALERTS_SMTP_TO", "Recipients of the e-mails, separated by commas."),
        Number("Alerts:RepeatHours", "ZAKAZ_ALERTS_REPEAT_HOURS", "Hours between reminders of an alert that still fires.", 1, 30 * 24),
        Number("Alerts:EvaluateMinutes", "ZAKAZ_ALERTS_EVALUATE_MINUTES", "Minutes between the alert evaluations zakaz serve runs besides the one after every scheduled run.", 1, 24 * 60),
        TimeOfDay("Digest:Time", "ZAKAZ_DIGEST_TIME", "Moscow time (HH:mm) at which zakaz serve sends the morning digest to the alert channels."),
        TimeOfDay("Backup:Time", "ZAKAZ_BACKUP_TIME", "Moscow time (HH:mm) of the nightly backup zakaz serve takes."),
        Number("Backup:KeepDays", "ZAKAZ_BACKUP_KEEP_DAYS", "Days backups are kept; older ones are deleted after a successful nightly backup.", 1, 3650),
        Text("Backup:Directory", "ZAKAZ_BACKUP_DIR", "Directory of the backups; unset means backups/ in the embedded store's data directory.",
            kind: ConfigurationValueKind.Path),
        Switch("Verbose", "ZAKAZ_VERBOSE", "Print progress details.",
            flag: "--verbose"),
        Choice("LogFormat", "ZAKAZ_LOG_FORMAT", "Format of the log entries on stderr: line (one line each, for terminals, CI and journald) or json (one JSON object each).",
            "line", "json"),
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
        string key, string environmentVariable, string description, ConfigurationValueKind kind = ConfigurationValueKind.Text, bool secret = false, string? flag = null) =>
        Key(key, environmentVariable, description, kind, text => (text, null), secret, flag);

    private static ConfigurationKey Number(string key, string environmentVariable, string description, int min, int max) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.Number, text =>
            // Parsed whole, so a number too long for an int is out of range rather than "not a number".
            !BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? (null, "is not a number")
            : value < min || value > max ? (null, $"must be between {min} and {max}")
            : (value.ToString(CultureInfo.InvariantCulture), null));

    private static ConfigurationKey Switch(string key, string environmentVariable, string description, string? flag = null) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.Boolean, text => text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => ("true", null),
            "false" or "0" or "no" or "off" => ("false", null),
            _ => (null, "is not true/false (also accepted: 1/0, yes/no, on/off)"),
        }, flag: flag);

    private static ConfigurationKey Url(string key, string environmentVariable, string description, string? flag = null) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.Url, text =>
            Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? (uri.OriginalString, null)
                : (null, "is not an absolute http:// or https:// URL"), flag: flag);

    private static ConfigurationKey Choice(string key, string environmentVariable, string description, params string[] allowed) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.Text, text =>
            allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } choice
                ? (choice, null)
                : (null, $"must be {string.Join(" or ", allowed)}"));

    /// <summary>Comma-separated addresses and networks, bound as a list (item N under <c>Key:N</c>).</summary>
    private static ConfigurationKey Networks(string key, string environmentVariable, string description) =>
        new(key, environmentVariable, null, description, ConfigurationValueKind.Text, false, (name, text, settings) =>
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
            for (var i = 0; i < networks.Count; i++)
            {
                settings[$"{name}:{i}"] = networks[i].ToString();
            }
            return null;
        });

    /// <summary>A day: no single request should run longer, and timers refuse spans much beyond a month.</summary>
    private const int MaxSeconds = 86_400;

    private static ConfigurationKey TimeOfDay(string key, string environmentVariable, string description) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.TimeOfDay, text =>
            TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                ? (time.ToString("HH:mm:ss", CultureInfo.InvariantCulture), null)
                : (null, "is not a time of day as HH:mm or HH:mm:ss (e.g. 04:00)"));

    private static ConfigurationKey Seconds(string key, string environmentVariable, string description) =>
        Key(key, environmentVariable, description, ConfigurationValueKind.Seconds, text =>
            !double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) ? (null, "is not a number of seconds")
            : seconds <= 0 ? (null, "must be a positive number of seconds")
            : seconds > MaxSeconds ? (null, $"must be at most {MaxSeconds} seconds (a day)")
            : (TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture), null));

    /// <summary>A setting of one value: <paramref name="parse"/> gives the text the binder reads, or what is wrong.</summary>
    private static ConfigurationKey Key(
        string key, string environmentVariable, string description, ConfigurationValueKind kind,
        Func<string, (string? Value, string? Problem)> parse, bool secret = false, string? flag = null) =>
        new(key, environmentVariable, flag, description, kind, secret, (name, text, settings) =>
        {
            var (value, problem) = parse(text);
            if (problem is null)
            {
                settings[name] = value;
            }
            return problem;
        });
}
