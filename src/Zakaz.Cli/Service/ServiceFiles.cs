using Zakaz.Configuration;

namespace Zakaz.Cli.Service;

/// <summary>
/// The files <c>zakaz service install</c> writes: the systemd unit that runs <c>zakaz serve</c> and the env-file
/// template people fill in. Paths are as the running system sees them (no --root prefix).
/// </summary>
/// <param name="ExecStart">The program and arguments before <c>serve</c>: the zakaz executable, or dotnet and zakaz.dll.</param>
internal sealed record ServiceFiles(IReadOnlyList<string> ExecStart, string User, string DataDirectory, string EnvFile, string ChDbLibrary)
{
    public const string UnitName = "zakaz.service";

    public const string UnitPath = "/etc/systemd/system/" + UnitName;

    public const string DefaultUser = "zakaz";

    public const string DefaultDataDirectory = "/var/lib/zakaz";

    public const string DefaultEnvFile = "/etc/zakaz/zakaz.env";

    /// <summary>The settings the template lists, by section: the ones a promoter's server needs; the README has them all.</summary>
    private static readonly (string Section, string[] Names)[] TemplateSettings =
    [
        ("Dashboard", ["ZAKAZ_DASHBOARD_PASSWORD_HASH", "ZAKAZ_API_TOKEN", "ZAKAZ_DASHBOARD_SESSION_KEY", "ZAKAZ_DASHBOARD_TRUSTED_PROXIES"]),
        ("Qtickets", ["QTICKETS_TOKEN", "QTICKETS_BASE_URL", "QTICKETS_WEBHOOK_SECRET"]),
        ("VK Ads", ["VK_ADS_CLIENT_ID", "VK_ADS_CLIENT_SECRET", "VK_ADS_AGENCY_CLIENT"]),
        ("Yandex Direct", ["YANDEX_DIRECT_TOKEN", "YANDEX_DIRECT_CLIENT_LOGIN"]),
        ("Google Sheets", ["GOOGLE_SHEETS_PLAN_URL", "GOOGLE_SHEETS_INVENTORY_URL", "GOOGLE_SHEETS_SPREADSHEET_ID", "GOOGLE_SERVICE_ACCOUNT_KEY_FILE"]),
        ("A ClickHouse server instead of the embedded store", ["CLICKHOUSE_URL", "CLICKHOUSE_PASSWORD", "ZAKAZ_SECRETS_KEY"]),
        ("Alerts and the morning digest", ["ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN", "ZAKAZ_ALERTS_TELEGRAM_CHAT_ID", "ZAKAZ_ALERTS_SMTP_HOST",
            "ZAKAZ_ALERTS_SMTP_PORT", "ZAKAZ_ALERTS_SMTP_SECURITY", "ZAKAZ_ALERTS_SMTP_USER", "ZAKAZ_ALERTS_SMTP_PASSWORD", "ZAKAZ_ALERTS_SMTP_FROM",
            "ZAKAZ_ALERTS_SMTP_TO", "ZAKAZ_DASHBOARD_PUBLIC_URL", "ZAKAZ_DIGEST_TIME"]),
        // The unit may write only the data directory (ReadWritePaths=), so backups stay inside it unless that line names another.
        ("Nightly backups (in backups/ of the data directory by default)", ["ZAKAZ_BACKUP_TIME", "ZAKAZ_BACKUP_KEEP_DAYS"]),
        ("Logs (journald keeps stdout and stderr)", ["ZAKAZ_LOG_FORMAT"]),
    ];

    public string Unit()
    {
        var text = new StringBuilder();
        text.AppendLine($"# Written by zakaz service install; running it again rewrites this file. Settings belong in {EnvFile}.");
        text.AppendLine("[Unit]");
        text.AppendLine("Description=Zakaz dashboard and scheduled syncs (zakaz serve)");
        text.AppendLine("Wants=network-online.target");
        text.AppendLine("After=network-online.target");
        text.AppendLine();
        text.AppendLine("[Service]");
        // exec, not simple: a missing or unrunnable executable fails the start instead of looking started.
        text.AppendLine("Type=exec");
        text.AppendLine($"User={User}");
        text.AppendLine($"ExecStart={string.Join(' ', ExecStart.Append("serve").Select(w => Quote(w.Replace("$", "$$", StringComparison.Ordinal))))}");
        // Paths the install chose live in the unit, so they change with it; EnvironmentFile= would override them.
        text.AppendLine($"Environment={Quote("ZAKAZ_DATA_DIR=" + DataDirectory)}");
        text.AppendLine($"Environment={Quote("ZAKAZ_CHDB_LIBRARY=" + ChDbLibrary)}");
        text.AppendLine($"EnvironmentFile={Escape(EnvFile)}");
        text.AppendLine($"WorkingDirectory={Escape(DataDirectory)}");
        text.AppendLine("Restart=on-failure");
        text.AppendLine("RestartSec=10s");
        text.AppendLine();
        text.AppendLine("# It needs its data directory and the network, nothing else.");
        text.AppendLine("NoNewPrivileges=yes");
        text.AppendLine("ProtectSystem=strict");
        text.AppendLine($"ReadWritePaths={Escape(DataDirectory)}");
        text.AppendLine("ProtectHome=yes");
        text.AppendLine("PrivateTmp=yes");
        text.AppendLine("PrivateDevices=yes");
        text.AppendLine("PrivateMounts=yes");
        text.AppendLine("ProtectKernelTunables=yes");
        text.AppendLine("ProtectKernelModules=yes");
        text.AppendLine("ProtectKernelLogs=yes");
        text.AppendLine("ProtectControlGroups=yes");
        text.AppendLine("ProtectClock=yes");
        text.AppendLine("ProtectHostname=yes");
        text.AppendLine("ProtectProc=invisible");
        text.AppendLine("RestrictSUIDSGID=yes");
        text.AppendLine("RestrictRealtime=yes");
        text.AppendLine("RestrictNamespaces=yes");
        // AF_NETLINK: glibc's getaddrinfo asks the kernel which address families are configured through it.
        text.AppendLine("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK");
        text.AppendLine("LockPersonality=yes");
        text.AppendLine("CapabilityBoundingSet=");
        text.AppendLine("AmbientCapabilities=");
        text.AppendLine("SystemCallArchitectures=native");
        text.AppendLine("RemoveIPC=yes");
        text.AppendLine("UMask=0077");
        // Groups of system calls no analytics service makes, refused with EPERM rather than killing the process: chDB is
        // a whole ClickHouse engine whose calls are not vetted for an allow-list such as @system-service, and its
        // profilers fall back when perf_event_open (@debug) is refused. Not MemoryDenyWriteExecute: the .NET JIT
        // writes the code it runs.
        text.AppendLine("SystemCallFilter=~@clock @cpu-emulation @debug @module @mount @obsolete @raw-io @reboot @swap");
        text.AppendLine("SystemCallErrorNumber=EPERM");
        text.AppendLine();
        text.AppendLine("[Install]");
        text.AppendLine("WantedBy=multi-user.target");
        return text.ToString();
    }

    public static string EnvTemplate()
    {
        var text = new StringBuilder();
        text.AppendLine("# Settings of zakaz serve, read by systemd (EnvironmentFile= of zakaz.service) as root before the service starts.");
        text.AppendLine("# Names and meanings as in the README's Configuration section. Uncomment and fill what you use;");
        text.AppendLine("# keep this file mode 0600: it holds tokens. zakaz service install never overwrites it.");
        text.AppendLine("# ZAKAZ_DATA_DIR and ZAKAZ_CHDB_LIBRARY are set in the unit by zakaz service install.");
        foreach (var (section, names) in TemplateSettings)
        {
            text.AppendLine().AppendLine($"## {section}");
            foreach (var name in names)
            {
                var key = ConfigurationKeys.FindByEnvironmentVariable(name)
                    ?? throw new InvalidOperationException($"The env template lists {name}, which is not a setting.");
                text.AppendLine($"# {key.Description}");
                text.AppendLine($"#{name}=");
            }
        }
        return text.ToString();
    }

    /// <summary>One word of a unit line, quoted when it has spaces or quotes.</summary>
    private static string Quote(string word)
    {
        var escaped = Escape(word);
        return escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')
            ? "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : escaped;
    }

    /// <summary>A value with systemd's specifiers (%n, %h, ...) kept literal.</summary>
    private static string Escape(string value) => value.Replace("%", "%%", StringComparison.Ordinal);
}
