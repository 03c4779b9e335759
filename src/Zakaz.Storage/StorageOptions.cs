namespace Zakaz.Storage;

/// <summary>Where the data lives: an embedded data directory (default) or a ClickHouse server.</summary>
public sealed class StorageOptions
{
    /// <summary>Embedded store directory (<c>--data</c>, <c>ZAKAZ_DATA_DIR</c>).</summary>
    public string DataDirectory { get; set; } = "./zakaz-data";

    /// <summary>Path of libchdb.so (<c>ZAKAZ_CHDB_LIBRARY</c>); null means the project's install cache.</summary>
    public string? ChDbLibrary { get; set; }

    /// <summary>A full server URL (<c>--clickhouse</c>, <c>CLICKHOUSE_URL</c>): http://user:password@host:8123/database.</summary>
    public string? Url { get; set; }

    // The seed-style variables: CLICKHOUSE_HOST, _PORT, _USER, _PASSWORD, _DB, _SECURE.
    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>A file holding the password (<c>--clickhouse-password-file</c>, <c>CLICKHOUSE_PASSWORD_FILE</c>), read into <see cref="Password"/> when the configuration loads.</summary>
    public string? PasswordFile { get; set; }

    public string? Database { get; set; }

    public bool Secure { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gzip request bodies and accept compressed answers (worth it over a real network, not on loopback).</summary>
    public bool Compression { get; set; }

    /// <summary>The text whose key seals the secrets kept in a server store's tables (<c>ZAKAZ_SECRETS_KEY</c>, see <see cref="StoreSecrets"/>).</summary>
    public string? SecretsKey { get; set; }

    /// <summary>A server URL of a reader (SELECT on bi only) for the dashboard (<c>CLICKHOUSE_READER_URL</c>).</summary>
    public string? ReaderUrl { get; set; }

    public bool UsesServer => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(Host);
}
