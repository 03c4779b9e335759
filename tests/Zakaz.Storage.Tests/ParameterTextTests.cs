namespace Zakaz.Storage.Tests;

/// <summary>
/// The exact text each parameter travels as: chDB's query-with-params call and a server's <c>param_</c> URL values carry
/// the same text to the same parser, whose round trip the contract suite checks on chDB. Debian's 18.16 server predates
/// query parameters (the HTTP contract runs there through the inline fallback), so this pins what a newer server reads.
/// </summary>
public sealed class ParameterTextTests
{
    public static TheoryData<string, object?, string> Cases() => new()
    {
        // Scalars: the escaped form (backslash escapes, \N for NULL); a quote needs nothing.
        { "String", "o'brien\\\t\n\r\0", @"o'brien\\\t\n\r\0" },
        { "Nullable(String)", null, @"\N" },
        { "Nullable(String)", @"\N", @"\\N" },
        { "LowCardinality(String)", "a\\b", @"a\\b" },
        { "Date", new DateOnly(2026, 3, 10), "2026-03-10" },
        // Arrays: their literal, elements quoted once and not escaped again on top.
        { "Array(String)", new[] { "o'brien", "a\\b", "tab\t", "" }, @"['o\'brien','a\\b','tab\t','']" },
        { "Array(Nullable(String))", new string?[] { null, "NULL" }, "[NULL,'NULL']" },
        { "Array(Array(String))", new[] { new[] { "[x]", "," }, [] }, "[['[x]',','],[]]" },
        { "Array(Nullable(Date))", new DateOnly?[] { null, new DateOnly(2026, 3, 10) }, "[NULL,'2026-03-10']" },
        { "Array(LowCardinality(String))", new[] { "'" }, @"['\'']" },
        { "Array(UInt64)", new ulong[] { 1, 2 }, "[1,2]" },
        { "Array(String)", Array.Empty<string>(), "[]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_type_travels_in_the_form_the_engine_parses(string type, object? value, string expected)
    {
        var rendered = new QueryParameters().Add("p", value).Render($"SELECT {{p:{type}}}");

        Assert.Equal(expected, Assert.Single(rendered).Text);
    }

    [Fact]
    public void A_string_is_not_an_array_of_characters()
    {
        var error = Assert.Throws<ArgumentException>(() => new QueryParameters().Add("p", "москва").Render("SELECT {p:Array(String)}"));

        Assert.Contains("Array(String)", error.Message, StringComparison.Ordinal);
    }
}
