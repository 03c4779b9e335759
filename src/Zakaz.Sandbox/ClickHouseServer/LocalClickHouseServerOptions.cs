namespace Zakaz.Sandbox.ClickHouseServer;

/// <summary>Settings for <see cref="LocalClickHouseServer.StartAsync"/>; the defaults suit tests and benchmarks.</summary>
public sealed record LocalClickHouseServerOptions
{
    /// <summary>Server executable; when null, <c>ZAKAZ_CLICKHOUSE_SERVER</c>, then the Debian package's paths.</summary>
    public string? ServerPath { get; init; }

    /// <summary>The password-protected user created next to the password-less <c>default</c> user.</summary>
    public string User { get; init; } = "zakaz";

    /// <summary>Password of <see cref="User"/>; when null a random one is generated.</summary>
    public string? Password { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side HTTP keep-alive; short so that client connection pools meet closed connections in tests.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string LogLevel { get; init; } = "warning";

    /// <summary>Server time zone, fixed so that DateTime text does not depend on the machine.</summary>
    public string Timezone { get; init; } = "UTC";

    /// <summary>Where the server's directory is created; the system temp directory when null.</summary>
    public string? TempRoot { get; init; }

    /// <summary>Chooses (HTTP, native TCP) ports for a start attempt; tests use it to force a port collision.</summary>
    internal Func<int, (int HttpPort, int TcpPort)>? PortPicker { get; init; }
}
