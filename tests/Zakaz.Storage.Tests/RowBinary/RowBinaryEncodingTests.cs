using Zakaz.Storage.RowBinary;

namespace Zakaz.Storage.Tests.RowBinary;

/// <summary>Exact bytes of the encodings with fast paths, against what ClickHouse's RowBinary defines.</summary>
public class RowBinaryEncodingTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1234.5", 123450L)]
    [InlineData("-1234.56", -123456L)]
    [InlineData("0.01", 1L)]
    [InlineData("1.50", 150L)]
    [InlineData("9999999999999999.99", 999999999999999999L)]
    [InlineData("-9999999999999999.99", -999999999999999999L)]
    public void Decimal_18_2_is_the_value_times_100_as_Int64(string text, long expected)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var schema = new RowSchema<decimal>().Column("v", "Decimal(18, 2)", v => v);
        using var writer = new RowBinaryWriter();

        schema.Write(writer, value);

        Assert.Equal(BitConverter.GetBytes(expected), writer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("1.005")]
    [InlineData("-0.001")]
    [InlineData("10000000000000000.00")]
    [InlineData("-79228162514264337.00")]
    public void Decimal_beyond_the_column_scale_or_precision_is_refused(string text)
    {
        var schema = new RowSchema<decimal>().Column("v", "Decimal(18, 2)", v => v);
        using var writer = new RowBinaryWriter();

        Assert.Throws<ArgumentException>(() => schema.Write(writer, decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(43)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(5000)]
    public void Strings_are_a_LEB128_length_then_UTF8_bytes(int length)
    {
        foreach (var text in new[] { new string('a', length), new string('ж', length), string.Concat(Enumerable.Repeat("🎫", length / 2)) })
        {
            using var writer = new RowBinaryWriter(16);
            writer.WriteUInt8(7);

            writer.WriteString(text);
            writer.WriteUInt8(9);

            var utf8 = Encoding.UTF8.GetBytes(text);
            var expected = new List<byte> { 7 };
            for (var n = (ulong)utf8.Length; ; n >>= 7)
            {
                expected.Add((byte)(n < 0x80 ? n : (n & 0x7F) | 0x80));
                if (n < 0x80)
                {
                    break;
                }
            }
            expected.AddRange(utf8);
            expected.Add(9);
            Assert.Equal(expected, writer.WrittenSpan.ToArray());
        }
    }
}
