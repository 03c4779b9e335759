using Microsoft.Extensions.Logging;

namespace Zakaz.Pipeline.Sync;

/// <summary>One step of a sync a person follows; <see cref="ToString"/> is the line the CLI prints.</summary>
/// <param name="Source">The source the step belongs to, as people name it: Qtickets, VK Ads, Sheets.</param>
public readonly record struct SyncProgress(string Source, string Message)
{
    public override string ToString() => $"{Source}: {Message}";
}

/// <summary>
/// Progress written as lines at once, in the order reported (<see cref="Progress{T}"/> posts each to the thread
/// pool, so lines could come out of order or after the command's own output).
/// </summary>
public sealed class ProgressLines<T>(TextWriter writer, string indent = "") : IProgress<T>
    where T : notnull
{
    public void Report(T value) => writer.WriteLine(indent + value);
}

/// <summary>Progress as information entries of a log, for processes nobody watches line by line.</summary>
public sealed class ProgressLog<T>(ILogger logger) : IProgress<T>
    where T : notnull
{
    public void Report(T value) => logger.LogInformation("{Progress}", value);
}

/// <summary>
/// One source's progress, reported from several threads at once (seat requests, the order writer) to a
/// receiver that need not be thread-safe.
/// </summary>
internal sealed class SourceProgress(string source, IProgress<SyncProgress>? progress) : IProgress<string>
{
    private readonly Lock _gate = new();

    public void Report(string message)
    {
        lock (_gate)
        {
            progress?.Report(new SyncProgress(source, message));
        }
    }
}

internal static class SyncFailure
{
    /// <summary>Runs a sync; any failure but <typeparamref name="TFailure"/> itself becomes one with <paramref name="describe"/>'s message.</summary>
    public static async Task<T> DescribedAsync<T, TFailure>(Func<Task<T>> sync, Func<Exception, string> describe, Func<string, Exception, TFailure> fail)
        where TFailure : Exception
    {
        try
        {
            return await sync();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not TFailure)
        {
            throw fail(describe(e), e);
        }
    }
}
