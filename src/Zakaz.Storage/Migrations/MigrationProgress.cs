namespace Zakaz.Storage.Migrations;

/// <summary>Where a migration run is, for a person following it; <see cref="ToString"/> is the line the CLI prints.</summary>
/// <param name="Count">Statements of the file, or access-control statements skipped.</param>
public sealed record MigrationProgress(Migration Migration, MigrationStage Stage, int Count, TimeSpan Elapsed = default)
{
    public override string ToString() => Stage switch
    {
        MigrationStage.Applying => $"Applying {Migration.FileName} ({Count} statements)",
        MigrationStage.SkippedAccessControl =>
            $"Skipped {Count} access-control statement(s) of {Migration.FileName}: the embedded store (chDB) has no users or roles",
        _ => $"Applied {Migration.FileName} in {(long)Elapsed.TotalMilliseconds} ms",
    };
}

public enum MigrationStage
{
    Applying,
    SkippedAccessControl,
    Applied,
}
