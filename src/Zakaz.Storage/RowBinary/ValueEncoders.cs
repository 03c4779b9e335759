using System.Buffers.Binary;

namespace Zakaz.Storage.RowBinary;

/// <summary>
/// Chooses, once per column, the writer of a CLR value as the column's RowBinary bytes. Exact CLR matches
/// (ulong for UInt64...) are direct; other numeric CLR types convert with overflow checks.
/// </summary>
internal static class ValueEncoders
{
    private static readonly DateOnly UnixEpochDate = new(1970, 1, 1);

    public static Action<RowBinaryWriter, TValue> Create<TValue>(ClickHouseType type, string column) =>
        type.Value.Kind == ClickHouseTypeKind.Nullable
            ? NullableEncoder<TValue>(type.Value.Inner!, column)
            : (Action<RowBinaryWriter, TValue>)Create(typeof(TValue), type.Value, column);

    private static Action<RowBinaryWriter, TValue> NullableEncoder<TValue>(ClickHouseType inner, string column)
    {
        var underlying = Nullable.GetUnderlyingType(typeof(TValue));
        if (underlying is null)
        {
            // A reference type (string, byte[]...): null is the missing value.
            var encode = (Action<RowBinaryWriter, TValue>)Create(typeof(TValue), inner.Value, column);
            return (w, v) =>
            {
                w.WriteUInt8(v is null ? (byte)1 : (byte)0);
                if (v is not null)
                {
                    encode(w, v);
                }
            };
        }
        return (Action<RowBinaryWriter, TValue>)Generic(nameof(NullableStruct), underlying, Create(underlying, inner.Value, column));
    }

    private static Action<RowBinaryWriter, TStruct?> NullableStruct<TStruct>(Action<RowBinaryWriter, TStruct> encode)
        where TStruct : struct =>
        (w, v) =>
        {
            w.WriteUInt8(v.HasValue ? (byte)0 : (byte)1);
            if (v is { } value)
            {
                encode(w, value);
            }
        };

    private static Delegate Create(Type clr, ClickHouseType t, string column)
    {
        var ci = CultureInfo.InvariantCulture;
        return (t.Kind, Type.GetTypeCode(clr)) switch
        {
            (ClickHouseTypeKind.UInt8, TypeCode.Byte) => (Action<RowBinaryWriter, byte>)((w, v) => w.WriteUInt8(v)),
            (ClickHouseTypeKind.UInt8 or ClickHouseTypeKind.Bool, TypeCode.Boolean) => (Action<RowBinaryWriter, bool>)((w, v) => w.WriteUInt8(v ? (byte)1 : (byte)0)),
            (ClickHouseTypeKind.UInt16, TypeCode.UInt16) => (Action<RowBinaryWriter, ushort>)((w, v) => w.WriteUInt16(v)),
            (ClickHouseTypeKind.UInt32, TypeCode.UInt32) => (Action<RowBinaryWriter, uint>)((w, v) => w.WriteUInt32(v)),
            (ClickHouseTypeKind.UInt64, TypeCode.UInt64) => (Action<RowBinaryWriter, ulong>)((w, v) => w.WriteUInt64(v)),
            (ClickHouseTypeKind.Int8, TypeCode.SByte) => (Action<RowBinaryWriter, sbyte>)((w, v) => w.WriteInt8(v)),
            (ClickHouseTypeKind.Int16, TypeCode.Int16) => (Action<RowBinaryWriter, short>)((w, v) => w.WriteInt16(v)),
            (ClickHouseTypeKind.Int32, TypeCode.Int32) => (Action<RowBinaryWriter, int>)((w, v) => w.WriteInt32(v)),
            (ClickHouseTypeKind.Int64, TypeCode.Int64) => (Action<RowBinaryWriter, long>)((w, v) => w.WriteInt64(v)),
            (ClickHouseTypeKind.Float32, TypeCode.Single) => (Action<RowBinaryWriter, float>)((w, v) => w.WriteFloat32(v)),
            (ClickHouseTypeKind.Float64, TypeCode.Double) => (Action<RowBinaryWriter, double>)((w, v) => w.WriteFloat64(v)),
            (ClickHouseTypeKind.String, TypeCode.String) => (Action<RowBinaryWriter, string>)((w, v) => w.WriteString(v)),
            (ClickHouseTypeKind.String, TypeCode.Object) when clr == typeof(byte[]) => (Action<RowBinaryWriter, byte[]>)((w, v) => w.WriteBytes(v)),
            (ClickHouseTypeKind.FixedString, TypeCode.String) => (Action<RowBinaryWriter, string>)((w, v) => w.WriteFixedString(v, t.Precision)),
            (ClickHouseTypeKind.Decimal, TypeCode.Decimal) => DecimalEncoder(t, column),
            (ClickHouseTypeKind.Date, _) => DateEncoder(clr, t, column, (w, days) => w.WriteUInt16(checked((ushort)days))),
            (ClickHouseTypeKind.Date32, _) => DateEncoder(clr, t, column, (w, days) => w.WriteInt32(days)),
            (ClickHouseTypeKind.DateTime, _) => InstantEncoder(clr, t, column, (w, instant) => w.WriteUInt32(checked((uint)instant.ToUnixTimeSeconds()))),
            (ClickHouseTypeKind.DateTime64, _) => InstantEncoder(clr, t, column, (w, instant) => w.WriteInt64(ToDateTime64(instant, t.Scale))),
            (ClickHouseTypeKind.Uuid, TypeCode.Object) when clr == typeof(Guid) => (Action<RowBinaryWriter, Guid>)WriteUuid,
            (ClickHouseTypeKind.UInt8 or ClickHouseTypeKind.UInt16 or ClickHouseTypeKind.UInt32 or ClickHouseTypeKind.UInt64
                or ClickHouseTypeKind.Int8 or ClickHouseTypeKind.Int16 or ClickHouseTypeKind.Int32 or ClickHouseTypeKind.Int64, _)
                when IsInteger(clr) => ConvertingIntegerEncoder(clr, t.Kind),
            (ClickHouseTypeKind.Float64, _) when IsInteger(clr) || clr == typeof(float) || clr == typeof(decimal) =>
                Generic(nameof(Boxing), clr, (Action<RowBinaryWriter, object>)((w, v) => w.WriteFloat64(Convert.ToDouble(v, ci)))),
            _ => throw new ArgumentException($"Column '{column}' of type {t} cannot take values of CLR type {clr.Name}."),
        };
    }

    private static bool IsInteger(Type clr) => Type.GetTypeCode(clr) is TypeCode.Byte or TypeCode.SByte or TypeCode.Int16
        or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    private static Delegate ConvertingIntegerEncoder(Type clr, ClickHouseTypeKind kind)
    {
        var ci = CultureInfo.InvariantCulture;
        Action<RowBinaryWriter, object> write = kind switch
        {
            ClickHouseTypeKind.UInt8 => (w, v) => w.WriteUInt8(Convert.ToByte(v, ci)),
            ClickHouseTypeKind.UInt16 => (w, v) => w.WriteUInt16(Convert.ToUInt16(v, ci)),
            ClickHouseTypeKind.UInt32 => (w, v) => w.WriteUInt32(Convert.ToUInt32(v, ci)),
            ClickHouseTypeKind.UInt64 => (w, v) => w.WriteUInt64(Convert.ToUInt64(v, ci)),
            ClickHouseTypeKind.Int8 => (w, v) => w.WriteInt8(Convert.ToSByte(v, ci)),
            ClickHouseTypeKind.Int16 => (w, v) => w.WriteInt16(Convert.ToInt16(v, ci)),
            ClickHouseTypeKind.Int32 => (w, v) => w.WriteInt32(Convert.ToInt32(v, ci)),
            _ => (w, v) => w.WriteInt64(Convert.ToInt64(v, ci)),
        };
        return Generic(nameof(Boxing), clr, write);
    }

    /// <summary>Calls the generic factory <paramref name="method"/> of this class for the CLR type only known at run time.</summary>
    private static Delegate Generic(string method, Type clr, Delegate argument) =>
        (Delegate)typeof(ValueEncoders).GetMethod(method, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(clr).Invoke(null, [argument])!;

    private static Action<RowBinaryWriter, TValue> Boxing<TValue>(Action<RowBinaryWriter, object> write) => (w, v) => write(w, v!);

    private static Delegate DecimalEncoder(ClickHouseType t, string column)
    {
        var factor = Pow10(t.Scale);
        decimal Scaled(decimal v) => v * factor is var scaled && scaled == decimal.Truncate(scaled)
            ? scaled
            : throw new ArgumentException($"Value {v} of column '{column}' has more than {t.Scale} decimal places ({t}).");
        // The engine stores whatever fits the integer; the declared precision is ours to keep.
        long WithinPrecision(long scaled, decimal v) => Math.Abs(scaled) < PowersOfTen[t.Precision]
            ? scaled
            : throw new ArgumentException($"Value {v} of column '{column}' does not fit {t}.");
        return t.Precision switch
        {
            <= 9 => (Action<RowBinaryWriter, decimal>)((w, v) => w.WriteInt32(decimal.ToInt32(Scaled(v)))),
            <= 18 => (Action<RowBinaryWriter, decimal>)((w, v) => w.WriteInt64(WithinPrecision(TryScaleToInt64(v, t.Scale, out var fast) ? fast : decimal.ToInt64(Scaled(v)), v))),
            <= 38 => (Action<RowBinaryWriter, decimal>)((w, v) => w.WriteInt128((Int128)Scaled(v))),
            _ => throw new ArgumentException($"Column '{column}': {t} (256-bit decimals) is not supported."),
        };
    }

    private static readonly long[] PowersOfTen = [.. Enumerable.Range(0, 19).Select(n => (long)Math.Pow(10, n))];

    // The common case without decimal arithmetic: a 64-bit mantissa with no more places than the column is scaled by a
    // power of ten. Anything else (overflow, too many places) goes the slow, checking way.
    private static bool TryScaleToInt64(decimal value, int targetScale, out long scaled)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        scaled = 0;
        if (bits[2] != 0 || scale > targetScale || mantissa > long.MaxValue)
        {
            return false;
        }
        var power = PowersOfTen[targetScale - scale];
        if (mantissa > (ulong)(long.MaxValue / power))
        {
            return false;
        }
        scaled = (long)mantissa * power * (bits[3] < 0 ? -1 : 1);
        return true;
    }

    private static decimal Pow10(int n) => Enumerable.Repeat(10m, n).Aggregate(1m, (product, ten) => product * ten);

    private static Delegate DateEncoder(Type clr, ClickHouseType t, string column, Action<RowBinaryWriter, int> writeDays) =>
        clr == typeof(DateOnly) ? (Action<RowBinaryWriter, DateOnly>)((w, v) => writeDays(w, DaysSinceEpoch(v)))
        : clr == typeof(DateTime) ? (Action<RowBinaryWriter, DateTime>)((w, v) => writeDays(w, DaysSinceEpoch(DateOnly.FromDateTime(v))))
        : throw new ArgumentException($"Column '{column}' of type {t} takes DateOnly or DateTime, not {clr.Name}.");

    private static Delegate InstantEncoder(Type clr, ClickHouseType t, string column, Action<RowBinaryWriter, DateTimeOffset> write)
    {
        var zone = t.TimeZone is null ? TimeZoneInfo.Utc : ZoneCache.Get(t.TimeZone);
        // A DateTime without an offset is taken as wall time in the column's zone, as the engine reads text.
        return clr == typeof(DateTimeOffset) ? write
            : clr == typeof(DateTime) ? (Action<RowBinaryWriter, DateTime>)((w, v) => write(w, v.Kind == DateTimeKind.Utc
                ? new DateTimeOffset(v)
                : new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Unspecified), zone.GetUtcOffset(v))))
            : throw new ArgumentException($"Column '{column}' of type {t} takes DateTimeOffset or DateTime, not {clr.Name}.");
    }

    private static long ToDateTime64(DateTimeOffset instant, int scale)
    {
        var ticks = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return scale <= 7 ? ticks / (long)Math.Pow(10, 7 - scale) : ticks * (long)Math.Pow(10, scale - 7);
    }

    private static void WriteUuid(RowBinaryWriter w, Guid value)
    {
        // ClickHouse stores a UUID as two little-endian UInt64 halves, high half first.
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        w.WriteUInt64(BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]));
        w.WriteUInt64(BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    internal static int DaysSinceEpoch(DateOnly date) => date.DayNumber - UnixEpochDate.DayNumber;
}
