namespace Zakaz.Sandbox.Telegram;

/// <summary>The bot and the chats of a <see cref="TelegramSandbox"/>.</summary>
public sealed record TelegramSandboxOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>The bot token to accept; null makes one in @BotFather's shape (<c>id:secret</c>).</summary>
    public string? Token { get; init; }

    /// <summary>The chats the bot is in: numeric ids or <c>@channel</c> names; any other is "chat not found".</summary>
    public IReadOnlyList<string> Chats { get; init; } = ["100200300", "-1001234567890", "@zakaz_alerts"];
}
