namespace Zakaz.Storage.Migrations.Validation;

/// <summary>The rule ids a <see cref="SchemaProblem"/> names; data-model.md sections 2 and 5 say why each rule exists.</summary>
public static class SchemaRules
{
    /// <summary>The runner's own requirements of a file: NNNN_snake_name.sql, a unique version, at least one statement.</summary>
    public const string MigrationFile = "migration-file";

    /// <summary>UTF-8 without a byte order mark, and no invalid bytes.</summary>
    public const string Encoding = "encoding";

    /// <summary>No Cyrillic that was UTF-8, read as Windows-1251 and saved again as UTF-8.</summary>
    public const string Mojibake = "mojibake";

    /// <summary>CREATE ... IF NOT EXISTS for data objects, CREATE OR REPLACE for views and functions.</summary>
    public const string CreateIdempotent = "create-idempotent";

    /// <summary>No DROP, TRUNCATE, DETACH or DELETE, and no ALTER clause that drops or deletes data.</summary>
    public const string NoDestructive = "no-destructive";

    /// <summary>No ALTER TABLE IF EXISTS: it hides a missing table instead of failing.</summary>
    public const string AlterIfExists = "alter-if-exists";

    /// <summary>ADD COLUMN IF NOT EXISTS, on a table an earlier statement creates.</summary>
    public const string AddColumn = "add-column";

    /// <summary>PARTITION BY uses no function whose value changes between calls or servers.</summary>
    public const string PartitionDeterministic = "partition-deterministic";

    /// <summary>Each object (and each database, role, user) is created by one statement in the whole set.</summary>
    public const string SingleDefinition = "single-definition";

    /// <summary>Every ReplacingMergeTree names its version column.</summary>
    public const string RmtVersion = "rmt-version";

    /// <summary>Views read ReplacingMergeTree tables with FINAL (or collapse versions with argMax).</summary>
    public const string FinalRead = "final-read";

    /// <summary>Money columns are Decimal, never Float or Int.</summary>
    public const string MoneyDecimal = "money-decimal";

    /// <summary>Every DateTime and DateTime64 column names its time zone.</summary>
    public const string DateTimeZone = "datetime-zone";

    /// <summary>GRANT names databases, tables, roles and users the set creates.</summary>
    public const string GrantTarget = "grant-target";

    /// <summary>A view a later file redefines keeps every column it had: BI datasets depend on them (data-model.md section 5).</summary>
    public const string ViewColumns = "view-columns";

    /// <summary>The engine accepts every statement in order, and every view can be selected from afterwards.</summary>
    public const string Semantic = "semantic";
}
