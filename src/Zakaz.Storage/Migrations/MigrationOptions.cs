namespace Zakaz.Storage.Migrations;

public sealed record MigrationOptions
{
    /// <summary>When set, every statement is rewritten for this cluster (see <see cref="ClusterRewriter"/>).</summary>
    public string? Cluster { get; init; }

    /// <summary>Plan only: nothing is executed and nothing is written, not even the ledger table.</summary>
    public bool DryRun { get; init; }

    /// <summary>Where the ledger table lives. Only tests change it, to get a ledger of their own.</summary>
    public string LedgerDatabase { get; init; } = "zakaz";
}
