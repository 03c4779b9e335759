using MailKit.Security;
using MimeKit;

namespace Zakaz.Notifications.Email;

/// <summary>Where <see cref="EmailChannel"/> sends: the SMTP server, how the connection is protected, the login and the addresses.</summary>
internal sealed class EmailChannelOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required SecureSocketOptions Security { get; init; }

    /// <summary>Null sends without authenticating.</summary>
    public string? User { get; init; }

    /// <summary>A secret: never logged, never part of an error message.</summary>
    public string? Password { get; init; }

    public required MailboxAddress From { get; init; }

    public required InternetAddressList To { get; init; }

    /// <summary>Limit for each step of the conversation with the server (connect, each command).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The host and port as messages name them.</summary>
    internal string Server => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
