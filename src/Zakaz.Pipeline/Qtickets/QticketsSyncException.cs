namespace Zakaz.Pipeline.Qtickets;

/// <summary>A sync that failed; the message is the one line recorded in meta_job_runs and shown to a person.</summary>
public sealed class QticketsSyncException(string message, Exception inner) : Exception(message, inner);
