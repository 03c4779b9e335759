namespace Zakaz.Sandbox.Qtickets;

/// <summary>The API's clock: every timestamp is Moscow time with an explicit <c>+03:00</c> offset.</summary>
internal static class SandboxTime
{
    public const long Minute = 60;
    public const long Hour = 3600;
    public const long Day = 86_400;

    /// <summary>Moscow has kept UTC+3 all year since 2014.</summary>
    public const long MoscowOffset = 3 * Hour;

    private static readonly TimeSpan MoscowOffsetSpan = TimeSpan.FromHours(3);

    public static DateTimeOffset ToMoscow(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToOffset(MoscowOffsetSpan);

    /// <summary>The spec's sale date: the calendar date in Europe/Moscow.</summary>
    public static DateOnly MoscowDate(long unixSeconds) =>
        DateOnly.FromDateTime(DateTime.UnixEpoch.AddSeconds(unixSeconds + MoscowOffset));

    /// <summary>The Unix time of the Moscow midnight starting the day that holds <paramref name="unixSeconds"/>.</summary>
    public static long MoscowMidnight(long unixSeconds) =>
        (unixSeconds + MoscowOffset) / Day * Day - MoscowOffset;

    /// <summary>Writes <c>"2025-11-01T10:15:03+03:00"</c>, or null for 0.</summary>
    public static void Write(Utf8JsonWriter writer, string name, long unixSeconds)
    {
        if (unixSeconds == 0)
        {
            writer.WriteNull(name);
            return;
        }
        Span<byte> text = stackalloc byte[25];
        Format(unixSeconds, text);
        writer.WriteString(name, text);
    }

    public static string Format(long unixSeconds)
    {
        Span<byte> text = stackalloc byte[25];
        Format(unixSeconds, text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    /// <summary>By hand: the API's pages hold hundreds of timestamps, and format strings are parsed on every call.</summary>
    private static void Format(long unixSeconds, Span<byte> text)
    {
        long local = unixSeconds + MoscowOffset;
        long seconds = local % Day;
        DateOnly date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)(local / Day));
        Digits(text[..4], date.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), date.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), date.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), (int)(seconds / Hour));
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), (int)(seconds % Hour / Minute));
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), (int)(seconds % Minute));
        "+03:00"u8.CopyTo(text[19..]);
    }

    private static void Digits(Span<byte> text, int value)
    {
        for (int i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
