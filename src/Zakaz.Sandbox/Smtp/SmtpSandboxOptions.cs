namespace Zakaz.Sandbox.Smtp;

/// <summary>How the <see cref="SmtpSandbox"/> connection is protected, as <c>ZAKAZ_ALERTS_SMTP_SECURITY</c> names it.</summary>
public enum SmtpSandboxSecurity
{
    /// <summary>Plain SMTP (AUTH allowed without TLS, since the stand-in is local).</summary>
    None,

    /// <summary>Plain, upgraded by STARTTLS; AUTH only after it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, port 465's way).</summary>
    Tls,
}

/// <summary>The port, security and login of an <see cref="SmtpSandbox"/>.</summary>
public sealed record SmtpSandboxOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public SmtpSandboxSecurity Security { get; init; } = SmtpSandboxSecurity.StartTls;

    /// <summary>The login to require (AUTH PLAIN or LOGIN); null accepts mail without one.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }
}
