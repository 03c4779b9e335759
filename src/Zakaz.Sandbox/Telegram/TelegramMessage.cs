namespace Zakaz.Sandbox.Telegram;

/// <summary>A message the sandbox accepted: the chat as the request named it, the text as sent (HTML and all) and its parse mode.</summary>
public sealed record TelegramMessage(string Chat, string Text, string? ParseMode);
