namespace Zakaz.Notifications.Telegram;

/// <summary>
/// A <see cref="Notification"/> as Telegram's HTML parse mode wants it: the subject in <c>&lt;b&gt;</c>, the text escaped,
/// cut into messages Telegram accepts.
/// </summary>
internal static class TelegramHtml
{
    /// <summary>
    /// Telegram's limit is 4096 characters of the text after entities are parsed; the HTML is never shorter than that
    /// text, so keeping the HTML itself within the limit is safe whatever Telegram counts.
    /// </summary>
    public const int MaxMessageLength = 4096;

    private const string BoldOpen = "<b>";
    private const string BoldClose = "</b>";

    /// <summary>The Bot API's rule: every <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> that is not markup becomes its entity.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    /// <summary>
    /// The messages to send, in order: whole lines packed up to <paramref name="limit"/> characters; a line longer than
    /// that is cut at a space where it can be, never inside an entity or a surrogate pair, and a cut subject keeps its
    /// bold tags on every piece, so each message is valid HTML on its own.
    /// </summary>
    public static IReadOnlyList<string> Render(Notification notification, int limit = MaxMessageLength)
    {
        var lines = new List<string>();
        foreach (var line in notification.Subject.ReplaceLineEndings("\n").Split('\n').Where(l => l.Trim().Length > 0))
        {
            lines.AddRange(Cut(Escape(line), limit - BoldOpen.Length - BoldClose.Length).Select(piece => BoldOpen + piece + BoldClose));
        }
        foreach (var line in notification.Body.ReplaceLineEndings("\n").Split('\n'))
        {
            lines.AddRange(Cut(Escape(line), limit));
        }
        var messages = new List<string>();
        var current = new StringBuilder();
        foreach (var line in lines)
        {
            if (current.Length > 0 && current.Length + 1 + line.Length > limit)
            {
                Flush();
            }
            if (current.Length > 0)
            {
                current.Append('\n');
            }
            current.Append(line);
        }
        Flush();
        return messages;

        void Flush()
        {
            // Telegram refuses an empty text, and blank lines at a cut say nothing.
            var text = current.ToString().Trim('\n');
            if (text.Trim().Length > 0)
            {
                messages.Add(text);
            }
            current.Clear();
        }
    }

    /// <summary>An escaped line in pieces of at most <paramref name="limit"/> characters.</summary>
    private static IEnumerable<string> Cut(string line, int limit)
    {
        var start = 0;
        while (line.Length - start > limit)
        {
            var end = start + limit;
            var space = line.LastIndexOf(' ', end - 1, limit);
            if (space > start + limit / 2)
            {
                end = space + 1;
            }
            else
            {
                var amp = line.LastIndexOf('&', end - 1, Math.Min(limit, 8));
                if (amp > start && line.IndexOf(';', amp) >= end)
                {
                    end = amp;
                }
                if (char.IsHighSurrogate(line[end - 1]))
                {
                    end--;
                }
            }
            yield return line[start..end];
            start = end;
        }
        yield return line[start..];
    }
}
