using Zakaz.Pipeline.Qtickets;

namespace Zakaz.Pipeline.Reports;

/// <summary>
/// Numbers and dates as Russian readers expect them, as the dashboard's format.js shows them: 1 234 567 ₽ (no-break
/// spaces, so a figure never wraps), 12,5 %, a true minus sign, dd.MM.yyyy in Moscow time.
/// </summary>
public static class RussianFormat
{
    public static readonly NumberFormatInfo Numbers = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = "\u00A0",
        NegativeSign = "−",
    });

    /// <summary>Whole roubles: 1 234 567 ₽.</summary>
    public static string Money(decimal roubles) => $"{Math.Round(roubles, 0, MidpointRounding.AwayFromZero).ToString("N0", Numbers)}\u00A0₽";

    public static string Whole(decimal value) => value.ToString("N0", Numbers);

    /// <summary>A fraction (0.125) as 12,5 %.</summary>
    public static string Percent(double fraction) =>
        $"{Math.Round(fraction * 100, 1, MidpointRounding.AwayFromZero).ToString("N1", Numbers)}\u00A0%";

    public static string Date(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>An instant as dd.MM.yyyy HH:mm on the Moscow clock.</summary>
    public static string MoscowTime(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, OrderWindow.Moscow).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The business date (Moscow) of an instant.</summary>
    public static DateOnly MoscowDate(DateTimeOffset instant) => OrderWindow.MoscowDate(instant);
}
