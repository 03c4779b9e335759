namespace Zakaz.Storage.Migrations;

/// <summary>
/// Brings a database up to the migration set: applies the pending files in version order, statement
/// by statement, and records each file in the ledger once all its statements have succeeded.
/// </summary>
public sealed class MigrationRunner(IClickHouseStore store, MigrationSet migrations, MigrationOptions? options = null, TimeProvider? time = null)
{
    private const string LedgerTableName = "schema_migrations";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly MigrationOptions _options = options ?? new MigrationOptions();
    private readonly ClusterRewriter? _cluster = string.IsNullOrWhiteSpace(options?.Cluster) ? null : new ClusterRewriter(options.Cluster);

    /// <summary>Each file of the set with its ledger row; reads only, so it never creates the ledger.</summary>
    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var applied = await ReadLedgerAsync(cancellationToken);
        var known = migrations.Migrations.Select(m => m.Version).ToHashSet();
        return new MigrationStatus(
            migrations.Migrations.Select(m => new MigrationState(m, applied.GetValueOrDefault(m.Version))).ToArray(),
            applied.Values.Where(e => !known.Contains(e.Version)).OrderBy(e => e.Version).ToArray());
    }

    /// <summary>
    /// Stops before running anything when an applied file has changed, and at the first failing statement;
    /// files applied before a failure stay recorded, so the next run resumes at the failed one.
    /// </summary>
    public async Task<MigrationReport> MigrateAsync(IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!_options.DryRun)
        {
            await CreateLedgerAsync(cancellationToken);
        }
        var status = await GetStatusAsync(cancellationToken);
        if (status.Migrations.FirstOrDefault(m => m.ChecksumMatches == false) is { Applied: { } applied } changed)
        {
            throw new MigrationException(
                $"Migration {changed.Migration.FileName} was edited after it was applied on {applied.AppliedAt:yyyy-MM-dd HH:mm:ss} UTC: " +
                $"the ledger has checksum {applied.Checksum}, the file now has {changed.Migration.Checksum}. Nothing was applied. " +
                "An applied migration must not change: restore the file and put the change in a new migration with the next number.");
        }

        var plan = status.Pending.Select(p => new PlannedMigration(p.Migration, p.Migration.Statements.Select(Rewrite).ToArray())).ToArray();
        if (_options.DryRun)
        {
            return new MigrationReport(DryRun: true, plan);
        }
        foreach (var (migration, statements) in plan)
        {
            progress?.Report(new MigrationProgress(migration, MigrationStage.Applying, statements.Count));
            var started = _time.GetTimestamp();
            var runnable = statements.Where(s => !AccessControlStatements.SkippedOn(store, s.Text)).ToList();
            foreach (var statement in runnable)
            {
                try
                {
                    await store.ExecuteAsync(statement.Text, cancellationToken: cancellationToken);
                }
                catch (ClickHouseException e)
                {
                    throw new MigrationException($"{migration.FileName}:{statement.Line}: {e.Message} The migration was not recorded; fix it and run again.", e);
                }
            }
            await store.ExecuteAsync(
                $"INSERT INTO {Ledger} (version, name, checksum, applied_at) SELECT {{version:UInt32}}, {{name:String}}, {{checksum:String}}, now()",
                new QueryParameters().Add("version", migration.Version).Add("name", migration.Name).Add("checksum", migration.Checksum),
                cancellationToken: cancellationToken);
            if (runnable.Count < statements.Count)
            {
                progress?.Report(new MigrationProgress(migration, MigrationStage.SkippedAccessControl, statements.Count - runnable.Count));
            }
            progress?.Report(new MigrationProgress(migration, MigrationStage.Applied, statements.Count, _time.GetElapsedTime(started)));
        }
        return new MigrationReport(DryRun: false, plan);
    }

    private string Ledger => $"{StoreIdentifiers.Quote(_options.LedgerDatabase)}.{LedgerTableName}";

    private SqlStatement Rewrite(SqlStatement statement) =>
        _cluster is null ? statement : statement with { Text = _cluster.Rewrite(statement.Text) };

    // The ledger has to exist before the first migration runs. Plain MergeTree keeps every row; should a version
    // be recorded twice (two runs racing), ReadLedgerAsync keeps its first application.
    private async Task CreateLedgerAsync(CancellationToken cancellationToken)
    {
        string[] statements =
        [
            $"CREATE DATABASE IF NOT EXISTS {StoreIdentifiers.Quote(_options.LedgerDatabase)}",
            $"""
            CREATE TABLE IF NOT EXISTS {Ledger} (
                version UInt32,
                name String,
                checksum String,
                applied_at DateTime('UTC')
            ) ENGINE = MergeTree ORDER BY version
            """,
        ];
        foreach (var statement in statements)
        {
            await store.ExecuteAsync(_cluster?.Rewrite(statement) ?? statement, cancellationToken: cancellationToken);
        }
    }

    private async Task<Dictionary<uint, LedgerEntry>> ReadLedgerAsync(CancellationToken cancellationToken)
    {
        var exists = await store.QueryAsync(
            "SELECT count() FROM system.tables WHERE database = {database:String} AND name = {table:String}",
            new QueryParameters().Add("database", _options.LedgerDatabase).Add("table", LedgerTableName),
            cancellationToken: cancellationToken);
        if (exists.Scalar<ulong>() == 0)
        {
            return [];
        }
        var rows = await store.QueryAsync(
            $"""
            SELECT version, argMin(name, applied_at) AS first_name, argMin(checksum, applied_at) AS first_checksum, min(applied_at) AS first_applied_at
            FROM {Ledger} GROUP BY version
            """,
            cancellationToken: cancellationToken);
        return Enumerable.Range(0, rows.Rows.Count)
            .Select(i => new LedgerEntry(rows.Get<uint>(i, "version"), rows.Get<string>(i, "first_name"), rows.Get<string>(i, "first_checksum"), rows.Get<DateTimeOffset>(i, "first_applied_at")))
            .ToDictionary(e => e.Version);
    }
}
