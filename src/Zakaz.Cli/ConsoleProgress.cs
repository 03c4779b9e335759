namespace Zakaz.Cli;

/// <summary>
/// Progress of long work, reported as how many of <c>total</c> are done: a redrawn bar when stderr is a
/// terminal, one plain line per tenth otherwise, so CI logs stay readable.
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, string label, long total) : IProgress<long>
{
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private long _lastTenth = -1;

    public void Report(long value)
    {
        var fraction = total <= 0 ? 1 : Math.Min(1, (double)value / total);
        var rate = value / Math.Max(TimeProvider.System.GetElapsedTime(_started).TotalSeconds, 1e-3);
        if (_interactive)
        {
            var filled = (int)(fraction * 30);
            error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {value:N0}/{total:N0} ({rate:N0}/s)");
            if (value >= total)
            {
                error.WriteLine();
            }
            return;
        }
        var tenth = (long)(fraction * 10);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            error.WriteLine($"{label}: {fraction:P0} ({value:N0}/{total:N0}, {rate:N0}/s)");
        }
    }
}
