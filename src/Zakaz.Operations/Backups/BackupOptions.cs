namespace Zakaz.Operations.Backups;

/// <summary>The nightly backup of <c>zakaz serve</c> (ZAKAZ_BACKUP_*).</summary>
public sealed class BackupOptions
{
    /// <summary>Moscow time of the nightly backup.</summary>
    public TimeOnly Time { get; set; } = new(3, 30);

    /// <summary>Days a backup is kept; older ones are deleted after a successful nightly backup.</summary>
    public int KeepDays { get; set; } = 14;

    /// <summary>Where backups go; unset means <c>backups/</c> in the embedded store's data directory.</summary>
    public string? Directory { get; set; }
}
