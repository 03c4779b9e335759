namespace Zakaz.Storage;

/// <summary>What the column types Zakaz stores can hold, so input is checked against them before it reaches an insert.</summary>
public static class ColumnRanges
{
    /// <summary>The largest Decimal(18, 2), the type of every amount of money.</summary>
    public const decimal MaxMoney = 9_999_999_999_999_999.99m;

    /// <summary>The first instant a DateTime column holds (it counts seconds from 1970 in a UInt32).</summary>
    public static DateTimeOffset FirstDateTime => DateTimeOffset.UnixEpoch;

    public static DateTimeOffset LastDateTime { get; } = DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue);
}
