using Zakaz.Pipeline.Sheets;

namespace Zakaz.Pipeline.Tests.Plans;

/// <summary>Numbers, dates and tables as Russian spreadsheets write them.</summary>
public sealed class SheetValuesTests
{
    [Theory]
    [InlineData("1 234,50", "1234.50")]
    [InlineData("1\u00a0234,50", "1234.50")]
    [InlineData("1\u202f234", "1234")]
    [InlineData("12 345 678,9", "12345678.9")]
    [InlineData("1234.5", "1234.5")]
    [InlineData("1,234.50", "1234.50")]
    [InlineData("1.234,50", "1234.50")]
    [InlineData("1 500 ₽", "1500")]
    [InlineData(" 0 ", "0")]
    public void Russian_and_plain_numbers_read_as_roubles(string text, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SheetValues.Money(text, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("", "the value is empty")]
    [InlineData("abc", "'abc' is not a number")]
    [InlineData("-5", "'-5' is negative")]
    [InlineData("1,005", "'1,005' has more than 2 decimal places (roubles and kopecks)")]
    [InlineData("100000000000000000", "'100000000000000000' is more than 9999999999999999.99")]
    [InlineData("10 000 000 000 000 000", "'10 000 000 000 000 000' is more than 9999999999999999.99")]
    public void Bad_money_says_why(string text, string reason)
    {
        Assert.Null(SheetValues.Money(text, out var problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void Counts_are_whole_and_not_negative()
    {
        Assert.Equal(1200UL, SheetValues.Count("1 200", out _));
        Assert.Null(SheetValues.Count("2,5", out var problem));
        Assert.Equal("'2,5' is not a whole number of 0 or more", problem);
        Assert.Null(SheetValues.Id("0", out problem));
        Assert.Equal("'0' is not an id", problem);
    }

    [Theory]
    [InlineData("2025-03-01")]
    [InlineData("01.03.2025")]
    [InlineData("1.3.2025")]
    public void Dates_in_iso_and_russian_order(string text) =>
        Assert.Equal(new DateOnly(2025, 3, 1), SheetValues.Date(text, out _));

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("01.01.0001")]
    [InlineData("31.12.1999")]
    [InlineData("2100-01-01")]
    public void Dates_outside_the_business_range_say_so(string text)
    {
        Assert.Null(SheetValues.Date(text, out var problem));
        Assert.Equal($"'{text}' is not a date from 2000-01-01 to 2099-12-31", problem);
    }

    [Fact]
    public void The_largest_amount_a_plan_column_holds_is_accepted() =>
        Assert.Equal(9_999_999_999_999_999.99m, SheetValues.Money("9 999 999 999 999 999,99", out _));

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public void Text_with_a_byte_order_mark_is_decoded_by_it(string encoding)
    {
        var chosen = System.Text.Encoding.GetEncoding(encoding);
        const string Text = "дата;город\n2025-01-01;Томск\n";

        var table = CsvText.Parse("plan.csv", CsvText.Decode([.. chosen.GetPreamble(), .. chosen.GetBytes(Text)]));

        Assert.Equal(["дата", "город"], table.Header);
        Assert.Equal(["2025-01-01", "Томск"], table.Rows.Single().Cells);
    }

    [Fact]
    public void A_semicolon_table_with_quotes_a_bom_and_crlf_keeps_its_line_numbers()
    {
        var table = CsvText.Parse("plan.csv",
            "\uFEFFдата;город;выручка\r\n2025-01-01;\"Томск; центр\";\"1 234,50\"\r\n\r\n02.01.2025;\"много\nстрок\";5\r\n2025-01-03;msk;\"с \"\"кавычками\"\"\"\r\n");

        Assert.Equal(["дата", "город", "выручка"], table.Header);
        Assert.Equal([2, 4, 6], table.Rows.Select(r => r.Line));
        Assert.Equal(["2025-01-01", "Томск; центр", "1 234,50"], table.Rows[0].Cells);
        Assert.Equal("много\nстрок", table.Rows[1].Cells[1]);
        Assert.Equal("с \"кавычками\"", table.Rows[2].Cells[2]);
    }

    [Fact]
    public void A_comma_table_and_a_windows_1251_file()
    {
        var bytes = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetBytes("город,план\nТомск,\"1 234,5\"\n");
        var table = CsvText.Parse("plan.csv", CsvText.Decode(bytes));

        Assert.Equal(["город", "план"], table.Header);
        Assert.Equal(["Томск", "1 234,5"], Assert.Single(table.Rows).Cells);
    }

    [Fact]
    public void Missing_columns_are_named_with_their_aliases()
    {
        var table = CsvText.Parse("plan.csv", "Дата,Мероприятие,Город\n2025-01-01,1,msk\n");

        var error = Assert.Throws<SheetFormatException>(() => SheetColumns.Locate(table, Zakaz.Pipeline.Plans.PlanImport.Columns));
        Assert.StartsWith("plan.csv has no column plan_tickets (tickets / план билетов", error.Message, StringComparison.Ordinal);
        Assert.Contains("plan_revenue (revenue / план выручки", error.Message, StringComparison.Ordinal);
    }
}
