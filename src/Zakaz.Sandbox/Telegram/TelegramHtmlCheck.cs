namespace Zakaz.Sandbox.Telegram;

/// <summary>
/// The Bot API's HTML parse mode, minimally: only its tags, properly nested; a <c>&lt;</c> that starts no tag is an error;
/// the named entities <c>&amp;lt; &amp;gt; &amp;amp; &amp;quot;</c> and numeric ones decode. Returns the text as Telegram
/// counts it (after entities), or the error Telegram would answer.
/// </summary>
internal static class TelegramHtmlCheck
{
    private static readonly HashSet<string> Tags = new(StringComparer.OrdinalIgnoreCase)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji",
    };

    public static (string? Text, string? Error) Parse(string html)
    {
        var text = new StringBuilder(html.Length);
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0)
                {
                    return (null, $"Bad Request: can't parse entities: Unclosed start tag at byte offset {Offset(html, i)}");
                }
                var tag = html[(i + 1)..end];
                var closing = tag.StartsWith('/');
                var name = (closing ? tag[1..] : tag).Split([' ', '\t', '\n'], 2)[0];
                if (!Tags.Contains(name))
                {
                    return (null, $"Bad Request: can't parse entities: Unsupported start tag \"{name}\" at byte offset {Offset(html, i)}");
                }
                if (!closing)
                {
                    open.Push(name);
                }
                else if (open.Count == 0 || !string.Equals(open.Pop(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return (null, $"Bad Request: can't parse entities: Unexpected end tag at byte offset {Offset(html, i)}");
                }
                i = end + 1;
            }
            else if (c == '&' && Entity(html, i) is { } entity)
            {
                text.Append(entity.Text);
                i += entity.Length;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        return open.Count > 0
            ? (null, $"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{open.Peek()}\"")
            : (text.ToString(), null);
    }

    private static (string Text, int Length)? Entity(string html, int at)
    {
        var end = html.IndexOf(';', at);
        if (end < 0 || end - at > 10)
        {
            return null;
        }
        var name = html[(at + 1)..end];
        string? decoded = name switch
        {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "quot" => "\"",
            _ when name.StartsWith("#x", StringComparison.OrdinalIgnoreCase) && int.TryParse(name[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex) && Rune.IsValid(hex) => char.ConvertFromUtf32(hex),
            _ when name.StartsWith('#') && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && Rune.IsValid(number) => char.ConvertFromUtf32(number),
            _ => null,
        };
        return decoded is null ? null : (decoded, end - at + 1);
    }

    private static int Offset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));
}
