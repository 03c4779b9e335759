namespace Zakaz.Storage.Migrations;

/// <summary>One row of the ledger: a migration file as it was when applied.</summary>
public sealed record LedgerEntry(uint Version, string Name, string Checksum, DateTimeOffset AppliedAt);

/// <summary>A migration file next to what the ledger says about it.</summary>
public sealed record MigrationState(Migration Migration, LedgerEntry? Applied)
{
    public bool IsApplied => Applied is not null;

    /// <summary>Null while pending; false means the file was edited after it was applied.</summary>
    public bool? ChecksumMatches => Applied is null ? null : Applied.Checksum == Migration.Checksum;
}

/// <param name="Migrations">Every file of the set, in version order.</param>
/// <param name="UnknownApplied">Ledger rows with no file in the set: the database was migrated by a newer Zakaz.</param>
public sealed record MigrationStatus(IReadOnlyList<MigrationState> Migrations, IReadOnlyList<LedgerEntry> UnknownApplied)
{
    public IEnumerable<MigrationState> Pending => Migrations.Where(m => !m.IsApplied);
}

/// <summary>A pending migration with the exact statements that run for it, after cluster rewriting.</summary>
public sealed record PlannedMigration(Migration Migration, IReadOnlyList<SqlStatement> Statements);

/// <param name="Migrations">The migrations applied by the run, or in a dry run the ones that would be, in order.</param>
public sealed record MigrationReport(bool DryRun, IReadOnlyList<PlannedMigration> Migrations);
