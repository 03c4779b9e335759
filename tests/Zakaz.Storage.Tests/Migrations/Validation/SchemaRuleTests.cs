using Zakaz.Storage.Migrations.Validation;

namespace Zakaz.Storage.Tests.Migrations.Validation;

/// <summary>
/// The static rules: each small file below breaks exactly one rule once, and the validator reports
/// exactly that rule at exactly that line. No store is involved, so these run anywhere.
/// </summary>
public sealed class SchemaRuleTests
{
    private const string Database = "CREATE DATABASE IF NOT EXISTS vfix;";

    private const string Table = "CREATE TABLE IF NOT EXISTS vfix.t (x UInt8) ENGINE = MergeTree ORDER BY x;";

    private const string VersionedTable = "CREATE TABLE IF NOT EXISTS vfix.r (k UInt64, n UInt64, _ver UInt64) ENGINE = ReplacingMergeTree(_ver) ORDER BY k;";

    public static TheoryData<string, int, string, string> BrokenRules() => new()
    {
        { "migration-file", 1, "2_orders.sql", Database },
        { "migration-file", 1, "0001_orders.sql", "-- a file with nothing to run\n" },
        { "mojibake", 2, "0001_seed.sql", $"{Database}\nSELECT '{Garble("москва")}' AS city;" },
        { "create-idempotent", 1, "0001_bad.sql", "CREATE DATABASE vfix;" },
        { "create-idempotent", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE vfix.t (x UInt8) ENGINE = MergeTree ORDER BY x;" },
        { "create-idempotent", 2, "0001_bad.sql", $"{Database}\nCREATE OR REPLACE TABLE vfix.t (x UInt8) ENGINE = MergeTree ORDER BY x;" },
        { "create-idempotent", 2, "0001_bad.sql", $"{Database}\nCREATE VIEW vfix.v AS SELECT 1 AS x;" },
        { "create-idempotent", 2, "0001_bad.sql", $"{Database}\nCREATE VIEW IF NOT EXISTS vfix.v AS SELECT 1 AS x;" },
        { "create-idempotent", 3, "0001_bad.sql", $"{Database}\n{Table}\nCREATE MATERIALIZED VIEW vfix.mv ENGINE = MergeTree ORDER BY x AS SELECT x FROM vfix.t;" },
        { "create-idempotent", 1, "0001_bad.sql", "CREATE ROLE vfix_reader;" },
        { "no-destructive", 3, "0001_bad.sql", $"{Database}\n{Table}\nDROP TABLE IF EXISTS vfix.t;" },
        { "no-destructive", 3, "0001_bad.sql", $"{Database}\n{Table}\nTRUNCATE TABLE vfix.t;" },
        { "no-destructive", 3, "0001_bad.sql", $"{Database}\n{Table}\nDETACH TABLE vfix.t;" },
        { "no-destructive", 4, "0001_bad.sql", $"{Database}\n{Table}\nALTER TABLE vfix.t\n    DROP COLUMN x;" },
        { "alter-if-exists", 3, "0001_bad.sql", $"{Database}\n{Table}\nALTER TABLE IF EXISTS vfix.t ADD COLUMN IF NOT EXISTS y UInt8;" },
        { "add-column", 4, "0001_bad.sql", $"{Database}\n{Table}\nALTER TABLE vfix.t\n    ADD COLUMN y UInt8;" },
        { "add-column", 2, "0001_bad.sql", $"{Database}\nALTER TABLE vfix.t ADD COLUMN IF NOT EXISTS y UInt8;\n{Table}" },
        { "partition-deterministic", 4, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (x UInt8)\nENGINE = MergeTree\nPARTITION BY (x, toYYYYMM(today()))\nORDER BY x;" },
        { "partition-deterministic", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (x UInt8) ENGINE = MergeTree PARTITION BY rand() % 4 ORDER BY x;" },
        { "single-definition", 3, "0001_bad.sql", $"{Database}\n{Table}\nCREATE TABLE IF NOT EXISTS vfix.t (x UInt8, y UInt8) ENGINE = MergeTree ORDER BY x;" },
        { "rmt-version", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.r (k UInt64) ENGINE = ReplacingMergeTree ORDER BY k;" },
        { "rmt-version", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.r (k UInt64) ENGINE = ReplacingMergeTree() ORDER BY k;" },
        { "final-read", 3, "0001_bad.sql", $"{Database}\n{VersionedTable}\nCREATE OR REPLACE VIEW vfix.v AS SELECT sum(n) AS n FROM vfix.r;" },
        { "final-read", 4, "0001_bad.sql", $"{Database}\n{VersionedTable}\nCREATE OR REPLACE VIEW vfix.v AS\nSELECT a.k, b.n FROM vfix.r AS a FINAL JOIN vfix.r AS b ON a.k = b.k;" },
        { "money-decimal", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (plan_revenue Float64) ENGINE = MergeTree ORDER BY tuple();" },
        { "money-decimal", 3, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (\n    refunded_amount Nullable(UInt64)\n) ENGINE = MergeTree ORDER BY tuple();" },
        { "money-decimal", 3, "0001_bad.sql", $"{Database}\n{Table}\nALTER TABLE vfix.t ADD COLUMN IF NOT EXISTS ad_spend Float32;" },
        { "money-decimal", 3, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.p (price Decimal(18, 2)) ENGINE = MergeTree ORDER BY tuple();\nALTER TABLE vfix.p MODIFY COLUMN price Float64;" },
        { "datetime-zone", 3, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (\n    created_at DateTime\n) ENGINE = MergeTree ORDER BY tuple();" },
        { "datetime-zone", 2, "0001_bad.sql", $"{Database}\nCREATE TABLE IF NOT EXISTS vfix.t (loaded_at Nullable(DateTime64(3))) ENGINE = MergeTree ORDER BY tuple();" },
        { "grant-target", 3, "0001_bad.sql", $"{Database}\nCREATE ROLE IF NOT EXISTS vfix_reader;\nGRANT SELECT ON vfix.missing TO vfix_reader;" },
        { "grant-target", 3, "0001_bad.sql", $"{Database}\nCREATE ROLE IF NOT EXISTS vfix_reader;\nGRANT SELECT ON vfix_other.* TO vfix_reader;" },
        { "grant-target", 2, "0001_bad.sql", $"{Database}\nGRANT SELECT ON vfix.* TO vfix_config_user;" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Each_rule_reports_its_defect_at_its_line(string rule, int line, string fileName, string sql)
    {
        var validation = await ValidateAsync((fileName, sql));

        Assert.Equal([(fileName, line, rule)], validation.Problems.Select(p => (p.File, p.Line, p.Rule)));
    }

    [Fact]
    public async Task A_file_that_follows_every_rule_has_no_problems()
    {
        var validation = await ValidateAsync(GoodFiles("vfix"));

        Assert.Empty(validation.Problems);
        Assert.Equal((2, 9), (validation.Files, validation.Statements));
    }

    [Fact]
    public async Task A_byte_order_mark_and_invalid_bytes_are_encoding_problems()
    {
        byte[] withBom = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(Database)];
        byte[] windows1251 = [.. Encoding.UTF8.GetBytes("SELECT 1;\n-- "), .. Windows1251.GetBytes("москва"), (byte)'\n'];

        var validation = await SchemaValidator.ValidateAsync([new SqlFile("0001_bom.sql", withBom), new SqlFile("0002_cp1251.sql", windows1251)], semanticStore: null);

        Assert.Equal([("0001_bom.sql", 1, "encoding"), ("0002_cp1251.sql", 2, "encoding")],
            validation.Problems.Select(p => (p.File, p.Line, p.Rule)));
        Assert.Contains("byte 0xEC", validation.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mojibake_is_shown_with_the_text_it_should_be()
    {
        var validation = await ValidateAsync(("0001_seed.sql", $"SELECT '{Garble("санкт-петербург")}';"));

        var problem = Assert.Single(validation.Problems);
        Assert.Equal($"0001_seed.sql:1: mojibake: \"{Garble("санкт")}\" is UTF-8 text that was read as Windows-1251 and saved again; it should read \"санкт\".", problem.ToString());
    }

    [Fact]
    public async Task Real_cyrillic_text_is_not_mistaken_for_mojibake()
    {
        var validation = await ValidateAsync(("0001_seed.sql", "SELECT 'Россия', 'СССР', 'Сёмга', 'РСФСР', 'Ростов-на-Дону';"));

        Assert.Empty(validation.Problems);
    }

    [Fact]
    public async Task One_definition_per_object_holds_across_files_and_versions_are_unique()
    {
        var validation = await ValidateAsync(
            ("0001_tables.sql", $"{Database}\n{Table}"),
            ("0002_again.sql", $"-- defined twice\n{Table}"),
            ("0002_clash.sql", $"{Database}"));

        Assert.Equal([("0002_again.sql", 2, "single-definition"), ("0002_clash.sql", 1, "migration-file"), ("0002_clash.sql", 1, "single-definition")],
            validation.Problems.Select(p => (p.File, p.Line, p.Rule)));
        Assert.Contains("already created at 0001_tables.sql:2", validation.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("version 0002 is also used by 0002_again.sql", validation.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_file_may_redefine_a_view_but_not_turn_it_into_a_table()
    {
        var view = "CREATE OR REPLACE VIEW vfix.v AS SELECT x FROM vfix.t;";
        var validation = await ValidateAsync(
            ("0001_tables.sql", $"{Database}\n{Table}\n{view}"),
            ("0002_view.sql", view.Replace("SELECT x", "SELECT x, y", StringComparison.Ordinal)),
            ("0003_table.sql", "CREATE TABLE IF NOT EXISTS vfix.v (x UInt8) ENGINE = MergeTree ORDER BY x;"));

        Assert.Equal([("0003_table.sql", 1, "single-definition")], validation.Problems.Select(p => (p.File, p.Line, p.Rule)));
    }

    [Fact]
    public async Task Add_column_may_target_a_table_created_in_an_earlier_file()
    {
        var validation = await ValidateAsync(
            ("0001_tables.sql", $"{Database}\n{Table}"),
            ("0002_columns.sql", "ALTER TABLE vfix.t ADD COLUMN IF NOT EXISTS y UInt8, ADD COLUMN IF NOT EXISTS created_at DateTime('UTC');"));

        Assert.Empty(validation.Problems);
    }

    [Fact]
    public async Task Problems_are_sorted_by_file_then_line_and_print_as_file_line_rule_message()
    {
        var validation = await ValidateAsync(
            ("0001_a.sql", $"{Database}\nCREATE TABLE vfix.t (x UInt8) ENGINE = MergeTree ORDER BY x;\nDROP TABLE vfix.t;"),
            ("0002_b.sql", "CREATE ROLE vfix_role;"));

        Assert.Equal(
        [
            "0001_a.sql:2: create-idempotent: CREATE TABLE vfix.t fails when it already exists; write CREATE TABLE IF NOT EXISTS.",
            "0001_a.sql:3: no-destructive: DROP statements lose data or objects; migrations only add and change.",
            "0002_b.sql:1: create-idempotent: CREATE ROLE vfix_role fails when it already exists; write CREATE ROLE IF NOT EXISTS.",
        ], validation.Problems.Select(p => p.ToString()));
    }

    /// <summary>Two files that follow every rule, in database <paramref name="database"/>; the semantic tests apply them for real.</summary>
    internal static (string Name, string Sql)[] GoodFiles(string database) =>
    [
        ("0001_orders.sql", $"""
            -- Orders, versioned; DROP TABLE in a comment or 'DROP TABLE' in a string is not a statement.
            CREATE DATABASE IF NOT EXISTS {database};
            CREATE TABLE IF NOT EXISTS {database}.orders
            (
                order_id UInt64,
                revenue Decimal(18, 2),
                refunded_amount Nullable(Decimal(18, 2)),
                price_zone String COMMENT 'a name, not money: DROP TABLE x',
                created_at DateTime('Europe/Moscow'),
                loaded_at DateTime64(3, 'UTC'),
                _ver UInt64
            )
            ENGINE = ReplacingMergeTree(_ver)
            PARTITION BY toYYYYMM(created_at)
            ORDER BY order_id;
            ALTER TABLE {database}.orders ADD COLUMN IF NOT EXISTS discount_value Nullable(Decimal(18, 2));
            CREATE OR REPLACE VIEW {database}.v_revenue AS
            SELECT toDate(o.created_at) AS d, sum(o.revenue) AS revenue
            FROM {database}.orders AS o FINAL
            GROUP BY d;
            CREATE OR REPLACE VIEW {database}.v_latest AS
            SELECT order_id, argMax(revenue, _ver) AS revenue FROM {database}.orders GROUP BY order_id;
            """),
        ("0002_access.sql", $"""
            INSERT INTO {database}.orders (order_id, revenue, created_at, loaded_at, price_zone, _ver)
            VALUES (1, 10.50, '2024-05-01 12:00:00', '2024-05-01 09:00:00.000', 'партер; Россия', 1);
            CREATE ROLE IF NOT EXISTS {database}_reader;
            GRANT SELECT ON {database}.* TO {database}_reader;
            GRANT SELECT ON {database}.v_revenue TO {database}_reader WITH GRANT OPTION;
            """),
    ];

    internal static SqlFile File((string Name, string Sql) file) => new(file.Name, Encoding.UTF8.GetBytes(file.Sql));

    private static readonly Encoding Windows1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

    /// <summary>What an editor that took UTF-8 for Windows-1251 makes of <paramref name="text"/>.</summary>
    private static string Garble(string text) => Windows1251.GetString(Encoding.UTF8.GetBytes(text));

    private static Task<SchemaValidation> ValidateAsync(params (string Name, string Sql)[] files) =>
        SchemaValidator.ValidateAsync(files.Select(File).ToArray(), semanticStore: null);
}
