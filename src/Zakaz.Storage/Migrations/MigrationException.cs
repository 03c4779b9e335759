namespace Zakaz.Storage.Migrations;

/// <summary>A migration set that cannot be used or a run that had to stop; the message says what to do.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
