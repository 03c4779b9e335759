using Zakaz.Pipeline.Reports;

namespace Zakaz.Operations.Alerts;

/// <summary>
/// The words alerts use beside <see cref="RussianFormat"/>'s numbers and dates (the digest's and the report's too):
/// Moscow time marked as such, spans of time, Russian plurals, the sources' names.
/// </summary>
internal static class AlertText
{
    public static string Moment(DateTimeOffset instant) => RussianFormat.MoscowTime(instant) + " МСК";

    public static string Duration(TimeSpan span) => span switch
    {
        { TotalMinutes: < 60 } => $"{Math.Max(0, (int)span.TotalMinutes)} мин",
        { TotalHours: < 48 } when span.Minutes == 0 => $"{(int)span.TotalHours} ч",
        { TotalHours: < 48 } => $"{(int)span.TotalHours} ч {span.Minutes} мин",
        _ => $"{(int)span.TotalDays} {Plural((int)span.TotalDays, "день", "дня", "дней")}",
    };

    public static string Times(int count) => $"{count} {Plural(count, "раз", "раза", "раз")}";

    public static string Source(string source) => source switch
    {
        "qtickets" => "Qtickets",
        "vk_ads" => "VK Рекламы",
        "yandex_direct" => "Яндекс Директа",
        _ => source,
    };

    /// <summary>The Russian form of a noun after <paramref name="count"/>: 1 день, 2 дня, 5 дней, 21 день, 11 дней.</summary>
    public static string Plural(int count, string one, string few, string many) =>
        (count % 100) is >= 11 and <= 14 ? many
        : (count % 10) switch
        {
            1 => one,
            >= 2 and <= 4 => few,
            _ => many,
        };
}
