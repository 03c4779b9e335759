namespace Zakaz.Storage.Tests.Contract;

/// <summary>
/// The behaviour every engine must share. Each engine's subclass supplies a store; the tests run in a
/// database of their own so engines and test classes never see each other's tables.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    protected abstract IClickHouseStore Store { get; }

    protected string Database { get; } = "contract_" + Guid.NewGuid().ToString("N")[..12];

    public virtual async Task InitializeAsync() => await Store.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {Database}");

    /// <summary>Options for CREATE TABLE; old servers need LowCardinality switched on explicitly.</summary>
    protected virtual QueryOptions? CreateTableOptions => null;

    /// <summary>Whether <c>x IN array</c> works; old servers refuse it for any array, parameter or literal.</summary>
    protected virtual bool InAcceptsAnArray => true;

    public virtual async Task DisposeAsync() => await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {Database}");

    private sealed record TypedRow(ulong Id, long Signed, string Text, decimal Money, DateOnly Day, DateTimeOffset At, string? Maybe, string City);

    private static readonly RowSchema<TypedRow> TypedSchema = new RowSchema<TypedRow>()
        .Column("id", "UInt64", r => r.Id)
        .Column("signed", "Int64", r => r.Signed)
        .Column("text", "String", r => r.Text)
        .Column("money", "Decimal(18, 2)", r => r.Money)
        .Column("day", "Date", r => r.Day)
        .Column("at", "DateTime('Europe/Moscow')", r => r.At)
        .Column("maybe", "Nullable(String)", r => r.Maybe)
        .Column("city", "LowCardinality(String)", r => r.City);

    [Fact]
    public async Task Typed_values_round_trip_exactly()
    {
        await Store.ExecuteAsync($"""
            CREATE TABLE {Database}.typed (
                id UInt64, signed Int64, text String, money Decimal(18, 2), day Date,
                at DateTime('Europe/Moscow'), maybe Nullable(String), city LowCardinality(String)
            ) ENGINE = MergeTree ORDER BY id
            """, options: CreateTableOptions);
        TypedRow[] rows =
        [
            new(ulong.MaxValue, long.MinValue, "Ёлка \"в\" 'кавычках'\t\\ и\nстроки", -9_999_999_999_999_999.99m, new DateOnly(1970, 1, 2),
                new DateTimeOffset(2025, 3, 30, 23, 59, 59, TimeSpan.Zero), null, "санкт-петербург"),
            new(1, long.MaxValue, "", 0.01m, new DateOnly(2105, 12, 31), new DateTimeOffset(2024, 12, 31, 21, 0, 0, TimeSpan.Zero), "", "томск"),
            new(2, 0, "plain", 1234.5m, new DateOnly(2025, 1, 1), new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(3)), "есть", "москва"),
        ];

        var written = await Store.InsertAsync($"{Database}.typed", TypedSchema, rows);
        var result = await Store.QueryAsync($"SELECT id, signed, text, money, day, at, maybe, city FROM {Database}.typed ORDER BY id");

        Assert.Equal(3, written);
        Assert.Equal(["UInt64", "Int64", "String", "Decimal(18, 2)", "Date", "DateTime('Europe/Moscow')", "Nullable(String)", "LowCardinality(String)"],
            result.Columns.Select(c => c.Type.Name.Replace("Decimal(18,2)", "Decimal(18, 2)", StringComparison.Ordinal)));
        var read = Enumerable.Range(0, result.Rows.Count).Select(i => new TypedRow(
            result.Get<ulong>(i, "id"), result.Get<long>(i, "signed"), result.Get<string>(i, "text"), result.Get<decimal>(i, "money"),
            result.Get<DateOnly>(i, "day"), result.Get<DateTimeOffset>(i, "at"), result.Get<string?>(i, "maybe"), result.Get<string>(i, "city"))).ToArray();
        Assert.Equal(rows.OrderBy(r => r.Id), read);
        // A zoned column comes back as wall time in its zone, the same instant.
        Assert.All(read, r => Assert.Equal(TimeSpan.FromHours(3), r.At.Offset));
    }

    public static TheoryData<string> HostileStrings() => new()
    {
        "'; DROP TABLE users; --",
        "\\' OR 1=1 --",
        "back\\slash and \\N and \\t",
        "tab\tnew\nline\rcarriage",
        "{other:String} and {{braces}}",
        "quote \" double and ` backtick",
        "юникод ✓ 🎫",
        "nul\0byte",
        "",
    };

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public async Task A_hostile_string_parameter_is_a_value_not_sql(string hostile)
    {
        var result = await Store.QueryAsync("SELECT {value:String} AS v, length({value:String}) AS bytes",
            new QueryParameters().Add("value", hostile));

        Assert.Equal(hostile, result.Get<string>(0, "v"));
        Assert.Equal((ulong)System.Text.Encoding.UTF8.GetByteCount(hostile), result.Get<ulong>(0, "bytes"));
    }

    /// <summary>Array elements a dashboard filter or a mapping rule may carry: every character the quoted and escaped forms treat specially.</summary>
    private static readonly string[] HostileElements =
    [
        "o'brien", "''", "\\'", "ends with \\", "\\\\", @"\N", "NULL", "tab\there", "new\nline", "carriage\rreturn", "nul\0byte",
        "{city:String}", "{{braces}}", "[bracket", "]", "['a','b']", ",", "', '", "quote \" double and ` backtick", "Санкт-Петербург", "🎫 билет", "",
    ];

    [Fact]
    public async Task Hostile_array_elements_round_trip_exactly()
    {
        var parameters = new QueryParameters().Add("values", HostileElements);

        var whole = await Store.QueryAsync("SELECT {values:Array(String)} AS v, arrayMap(x -> length(x), {values:Array(String)}) AS bytes", parameters);
        var each = await Store.QueryAsync("SELECT arrayJoin({values:Array(String)}) AS v", parameters);

        Assert.Equal(HostileElements, whole.Get<List<object?>>(0, "v").Cast<string>());
        Assert.Equal(HostileElements.Select(e => (ulong)System.Text.Encoding.UTF8.GetByteCount(e)), whole.Get<List<object?>>(0, "bytes").Cast<ulong>());
        Assert.Equal(HostileElements, each.Rows.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Hostile_array_values_filter_with_has_and_IN_as_the_dashboard_does()
    {
        await Store.ExecuteAsync($"CREATE TABLE {Database}.cities (id UInt64, city String) ENGINE = MergeTree ORDER BY id");
        string[] plain = ["москва", "obrien", "N"];
        var cities = HostileElements.Concat(plain).ToArray();
        var schema = new RowSchema<int>().Column("id", "UInt64", i => (ulong)i).Column("city", "String", i => cities[i]);
        await Store.InsertAsync($"{Database}.cities", schema, Enumerable.Range(0, cities.Length));

        async Task<ulong[]> Matching(string filter, params string[] chosen) =>
            (await Store.QueryAsync($"SELECT id FROM {Database}.cities WHERE {filter} ORDER BY id", new QueryParameters().Add("cities", chosen)))
            .Rows.Select(r => (ulong)r[0]!).ToArray();

        const string dashboardFilter = "(empty({cities:Array(String)}) OR has({cities:Array(String)}, city))";
        foreach (var filter in InAcceptsAnArray ? [dashboardFilter, "city IN {cities:Array(String)}"] : new[] { dashboardFilter })
        {
            for (var i = 0; i < HostileElements.Length; i++)
            {
                Assert.Equal([(ulong)i], await Matching(filter, HostileElements[i]));
            }
            Assert.Equal(Enumerable.Range(0, HostileElements.Length).Select(i => (ulong)i), await Matching(filter, HostileElements));
        }
        Assert.Equal(cities.Length, (await Matching(dashboardFilter)).Length);
    }

    [Fact]
    public async Task Nullable_and_nested_array_parameters_round_trip()
    {
        string?[] maybe = [null, "NULL", @"\N", "o'brien", "", "a\\b"];
        string[][] nested = [["o'brien", "c:\\dir"], [], ["[x]", ",", "tab\t"]];
        DateOnly?[] days = [null, new DateOnly(2025, 1, 1), new DateOnly(2099, 12, 31)];
        var parameters = new QueryParameters().Add("maybe", maybe).Add("nested", nested).Add("days", days)
            .Add("null_text", null).Add("slash_n", @"\N").Add("nullable_hostile", "o'brien\t\\");

        var result = await Store.QueryAsync("""
            SELECT {maybe:Array(Nullable(String))} AS maybe, arrayMap(x -> isNull(x), {maybe:Array(Nullable(String))}) AS nulls,
                   {nested:Array(Array(String))} AS nested, length({nested:Array(Array(String))}[1][2]) AS dir_bytes,
                   {days:Array(Nullable(Date))} AS days,
                   {null_text:Nullable(String)} IS NULL AS null_is_null, {slash_n:Nullable(String)} AS slash_n,
                   {nullable_hostile:Nullable(String)} AS nullable_hostile
            """, parameters);

        Assert.Equal(maybe, result.Get<List<object?>>(0, "maybe").Cast<string?>());
        Assert.Equal(maybe.Select(m => (byte)(m is null ? 1 : 0)), result.Get<List<object?>>(0, "nulls").Cast<byte>());
        Assert.Equal(nested, result.Get<List<object?>>(0, "nested").Select(inner => ((List<object?>)inner!).Cast<string>().ToArray()));
        Assert.Equal(6UL, result.Get<ulong>(0, "dir_bytes"));
        Assert.Equal(days, result.Get<List<object?>>(0, "days").Cast<DateOnly?>());
        Assert.Equal(1, result.Get<byte>(0, "null_is_null"));
        Assert.Equal(@"\N", result.Get<string>(0, "slash_n"));
        Assert.Equal("o'brien\t\\", result.Get<string>(0, "nullable_hostile"));
    }

    [Fact]
    public async Task Typed_parameters_filter_rows()
    {
        await Store.ExecuteAsync($"CREATE TABLE {Database}.orders (id UInt64, city String, price Decimal(18, 2), at DateTime('Europe/Moscow')) ENGINE = MergeTree ORDER BY id");
        await Store.ExecuteAsync($"""
            INSERT INTO {Database}.orders VALUES
            (1, 'москва', 100.50, '2025-01-01 10:00:00'), (2, 'o''brien', 200.00, '2025-01-02 10:00:00'), (3, 'томск', 300.25, '2025-01-03 10:00:00')
            """);
        var parameters = new QueryParameters()
            .Add("city", "o'brien")
            .Add("min_price", 150.00m)
            .Add("since", new DateTimeOffset(2025, 1, 2, 7, 0, 0, TimeSpan.Zero))
            .Add("ids", new ulong[] { 2, 3 })
            .Add("missing", null);

        var result = await Store.QueryAsync($$"""
            SELECT id FROM {{Database}}.orders
            WHERE (city = {city:String} OR price > {min_price:Decimal(18, 2)}) AND at >= {since:DateTime('Europe/Moscow')}
              AND has({ids:Array(UInt64)}, id) AND {missing:Nullable(String)} IS NULL
              AND '{city:String}' = concat('{city', ':String}')
            ORDER BY id
            """, parameters);

        Assert.Equal([2UL, 3UL], result.Rows.Select(r => (ulong)r[0]!));
    }

    [Theory]
    [InlineData("SELEC 1", 62)]
    [InlineData("SELECT * FROM contract_missing_database.nowhere", 81)]
    [InlineData("SELECT no_such_column FROM system.one", 47)]
    public async Task Errors_carry_the_engine_code_and_a_readable_message(string sql, int code)
    {
        var error = await Assert.ThrowsAnyAsync<ClickHouseException>(() => Store.QueryAsync(sql));

        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("e.what()", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Stack trace", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"ClickHouse error {code}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_table_in_an_existing_database_is_code_60()
    {
        var error = await Assert.ThrowsAnyAsync<ClickHouseException>(() => Store.QueryAsync($"SELECT 1 FROM {Database}.nowhere"));

        Assert.Equal(60, error.Code);
        Assert.Contains("nowhere", error.ServerMessage, StringComparison.Ordinal);
    }

    private sealed record BulkRow(ulong Id, string City, decimal Price, DateTimeOffset At, string Name, string Note);

    [Fact]
    public async Task A_million_rows_stream_in_with_exact_count_and_sums()
    {
        const int count = 1_000_000;
        string[] cities = ["москва", "санкт-петербург", "томск", "казань"];
        await Store.ExecuteAsync($"""
            CREATE TABLE {Database}.bulk (id UInt64, city LowCardinality(String), price Decimal(18, 2), at DateTime('Europe/Moscow'), name String, note String)
            ENGINE = MergeTree ORDER BY id
            """, options: CreateTableOptions);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(1, count).Select(i => new BulkRow((ulong)i, cities[i % 4], (i % 10_000) / 100m, start.AddSeconds(i), "order " + i, i % 7 == 0 ? "" : "ok"));
        var schema = new RowSchema<BulkRow>()
            .Column("id", "UInt64", r => r.Id).Column("city", "LowCardinality(String)", r => r.City)
            .Column("price", "Decimal(18, 2)", r => r.Price).Column("at", "DateTime('Europe/Moscow')", r => r.At)
            .Column("name", "String", r => r.Name).Column("note", "String", r => r.Note);
        var progress = new List<long>();

        var written = await Store.InsertAsync($"{Database}.bulk", schema, rows, new InsertOptions { ChunkBytes = 1 << 20, Progress = progress.Add });
        var result = await Store.QueryAsync($"""
            SELECT count() AS n, sum(id) AS ids, sum(price) AS revenue, uniqExact(city) AS cities, max(at) AS last, countIf(note = '') AS empty
            FROM {Database}.bulk
            """);

        Assert.Equal(count, written);
        Assert.True(progress.Count > 10, $"expected the rows to go in many chunks, got {progress.Count}");
        Assert.Equal((ulong)count, result.Get<ulong>(0, "n"));
        Assert.Equal((ulong)count * (count + 1) / 2, result.Get<ulong>(0, "ids"));
        var expectedRevenue = Enumerable.Range(1, count).Sum(i => (decimal)(i % 10_000)) / 100m;
        Assert.Equal(expectedRevenue, result.Get<decimal>(0, "revenue"));
        Assert.Equal(4UL, result.Get<ulong>(0, "cities"));
        Assert.Equal(start.AddSeconds(count), result.Get<DateTimeOffset>(0, "last"));
        Assert.Equal((ulong)(count / 7), result.Get<ulong>(0, "empty"));
    }

    [Fact]
    public async Task Many_threads_query_at_once()
    {
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                var n = (ulong)(1000 + worker * 100 + i);
                var result = await Store.QueryAsync("SELECT sum(number) AS s, {worker:UInt32} AS w FROM numbers({n:UInt64})",
                    new QueryParameters().Add("n", n).Add("worker", (uint)worker));
                Assert.Equal(n * (n - 1) / 2, result.Get<ulong>(0, "s"));
                Assert.Equal((uint)worker, result.Get<uint>(0, "w"));
            }
        }));

        await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Text_formats_stream_to_a_writer()
    {
        using var csv = new MemoryStream();
        using var json = new MemoryStream();

        await Store.QueryToStreamAsync("SELECT number AS n, concat('row ', toString(number)) AS label FROM numbers(3)", "CSV", csv);
        await Store.QueryToStreamAsync("SELECT {name:String} AS name", "JSONEachRow", json, new QueryParameters().Add("name", "Томск \"центр\""));

        Assert.Equal("0,\"row 0\"\n1,\"row 1\"\n2,\"row 2\"\n", System.Text.Encoding.UTF8.GetString(csv.ToArray()));
        Assert.Equal("{\"name\":\"Томск \\\"центр\\\"\"}\n", System.Text.Encoding.UTF8.GetString(json.ToArray()));
    }

    [Fact]
    public async Task A_header_is_written_once_for_a_result_of_several_blocks()
    {
        using var output = new MemoryStream();

        await Store.QueryToStreamAsync("SELECT n FROM (SELECT number AS n FROM numbers(2) UNION ALL SELECT toUInt64(7) AS n) ORDER BY n",
            "CSVWithNames", output);

        Assert.Equal("\"n\"\n0\n1\n7\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Statements_that_return_nothing_also_run_through_the_text_stream()
    {
        using var output = new MemoryStream();

        await Store.QueryToStreamAsync($"CREATE TABLE {Database}.streamed (x UInt8) ENGINE = MergeTree ORDER BY x", "TabSeparated", output);

        Assert.Equal(1, (await Store.QueryAsync($"EXISTS TABLE {Database}.streamed")).Scalar<byte>());
    }

    [Fact]
    public async Task Settings_apply_to_one_query_only()
    {
        const string sql = "SELECT value FROM system.settings WHERE name = 'max_threads'";

        var tuned = await Store.QueryAsync(sql, options: new QueryOptions { Settings = new Dictionary<string, string> { ["max_threads"] = "3" } });
        var plain = await Store.QueryAsync(sql);

        Assert.Equal("3", tuned.Get<string>(0, 0));
        Assert.NotEqual("3", plain.Get<string>(0, 0));
    }

    [Fact]
    public async Task A_parameter_without_a_value_is_refused_before_sending()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync("SELECT {x:UInt8}", new QueryParameters()));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decimal_with_too_many_places_is_refused_not_rounded()
    {
        await Store.ExecuteAsync($"CREATE TABLE {Database}.money (v Decimal(18, 2)) ENGINE = MergeTree ORDER BY tuple()");
        var schema = new RowSchema<decimal>().Column("v", "Decimal(18, 2)", v => v);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync($"{Database}.money", schema, [1.005m]));

        Assert.Contains("more than 2 decimal places", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, (await Store.QueryAsync($"SELECT count() FROM {Database}.money")).Scalar<ulong>());
    }
}
