using Zakaz.Notifications.Telegram;

namespace Zakaz.Notifications.Tests;

public class TelegramHtmlTests
{
    [Fact]
    public void The_subject_is_bold_and_lt_gt_amp_are_escaped_in_both()
    {
        var messages = TelegramHtml.Render(new Notification("Sales < plan & ads > 0", "ROMI <b>-5%</b> & falling\n\"quoted\""));

        var message = Assert.Single(messages);
        Assert.Equal("<b>Sales &lt; plan &amp; ads &gt; 0</b>\nROMI &lt;b&gt;-5%&lt;/b&gt; &amp; falling\n\"quoted\"", message);
    }

    [Fact]
    public void A_long_message_is_cut_at_line_ends_in_order_with_no_part_over_4096()
    {
        var lines = Enumerable.Range(1, 400).Select(i => $"line {i:000}: <spend> & <revenue> {new string('x', i % 37)}").ToList();
        var body = string.Join('\n', lines);

        var messages = TelegramHtml.Render(new Notification("Long", body));

        Assert.True(messages.Count > 2, $"{messages.Count} parts");
        Assert.All(messages, m => Assert.True(m.Length <= TelegramHtml.MaxMessageLength, $"{m.Length} characters"));
        Assert.StartsWith("<b>Long</b>\n", messages[0], StringComparison.Ordinal);
        var rejoined = string.Join('\n', messages.Select((m, i) => i == 0 ? m["<b>Long</b>\n".Length..] : m));
        Assert.Equal(TelegramHtml.Escape(body), rejoined);
    }

    [Fact]
    public void A_single_line_longer_than_the_limit_is_cut_outside_entities_and_surrogate_pairs()
    {
        var line = string.Concat(Enumerable.Repeat("&😀", 3000));

        var messages = TelegramHtml.Render(new Notification("", line), limit: 1001);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m =>
        {
            Assert.True(m.Length <= 1001);
            Assert.False(char.IsHighSurrogate(m[^1]), "ends inside a surrogate pair");
            Assert.Matches("^(&amp;|😀)+$", m);
        });
        Assert.Equal(TelegramHtml.Escape(line), string.Concat(messages));
    }

    [Fact]
    public void A_subject_longer_than_the_limit_keeps_its_bold_tags_on_every_piece()
    {
        var subject = string.Join(' ', Enumerable.Repeat("Тревога", 50));

        var messages = TelegramHtml.Render(new Notification(subject, "body"), limit: 100);

        Assert.All(messages.SkipLast(1), m => Assert.Matches("^<b>[^<>]+</b>$", m));
        Assert.EndsWith("body", messages[^1], StringComparison.Ordinal);
        Assert.Equal(subject.Replace(" ", "", StringComparison.Ordinal),
            string.Concat(messages.SelectMany(m => m.Split('\n')).Where(l => l.StartsWith("<b>", StringComparison.Ordinal)).Select(l => l[3..^4])).Replace(" ", "", StringComparison.Ordinal));
    }
}
