using System.Text;
using Zakaz.Notifications;

namespace Zakaz.Operations.Alerts;

/// <summary>The one message an evaluation sends a channel: each notice in a few lines, what is wrong first, then what cleared.</summary>
public static class AlertMessage
{
    public static Notification Compose(IReadOnlyList<AlertNotice> notices, DateTimeOffset now, Uri? dashboardUrl)
    {
        var problems = notices.Count(n => n.Notice != AlertHistory.Resolved);
        var resolved = notices.Count - problems;
        var subject = notices.Count == 1
            ? $"Zakaz: {Headline(notices[0])}"
            : "Zakaz: " + string.Join(", ", new[]
            {
                problems > 0 ? $"{problems} {AlertText.Plural(problems, "проблема", "проблемы", "проблем")}" : null,
                resolved > 0 ? $"{resolved} {AlertText.Plural(resolved, "решена", "решены", "решено")}" : null,
            }.OfType<string>());
        var body = new StringBuilder();
        foreach (var notice in notices.OrderBy(n => n.Notice == AlertHistory.Resolved))
        {
            body.AppendLine(Headline(notice));
            if (notice.Notice == AlertHistory.Resolved)
            {
                body.AppendLine($"Длилось {AlertText.Duration((notice.Episode.ResolvedAt ?? now) - notice.Episode.Since)}, с {AlertText.Moment(notice.Episode.Since)}.");
            }
            else if (notice.Current is { } alert)
            {
                body.AppendLine(alert.Detail + ".");
                body.AppendLine(alert.Advice);
            }
            body.AppendLine();
        }
        if (dashboardUrl is not null)
        {
            // Below the dashboard's own path, which a reverse proxy may give it.
            body.AppendLine($"Качество данных: {dashboardUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}/health");
        }
        return new Notification(subject, body.ToString().TrimEnd());
    }

    private static string Headline(AlertNotice notice) => notice.Notice switch
    {
        AlertHistory.Resolved => $"✅ Решено: {Title(notice)}",
        AlertHistory.Reminder => $"🔁 Всё ещё: {Title(notice)}",
        _ => $"🔴 {Title(notice)}",
    };

    private static string Title(AlertNotice notice) =>
        notice.Current?.Title ?? notice.Episode.Summary.Split(". ", 2)[0];
}
