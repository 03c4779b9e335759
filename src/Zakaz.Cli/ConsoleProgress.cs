using System.Diagnostics;

namespace Zakaz.Cli;

/// <summary>
/// Progress of long work: a redrawn bar when stderr is a terminal, one plain line per tenth
/// otherwise, so CI logs stay readable.
/// </summary>
internal static class ConsoleProgress
{
    public static Action<long> Start(TextWriter error, string label, long total)
    {
        var interactive = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
        var stopwatch = Stopwatch.StartNew();
        var lastTenth = -1L;
        return done =>
        {
            var fraction = total <= 0 ? 1 : Math.Min(1, (double)done / total);
            var rate = done / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-3);
            if (interactive)
            {
                var filled = (int)(fraction * 30);
                error.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction,4:P0} {done:N0}/{total:N0} ({rate:N0}/s)");
                if (done >= total)
                {
                    error.WriteLine();
                }
                return;
            }
            var tenth = (long)(fraction * 10);
            if (tenth != lastTenth)
            {
                lastTenth = tenth;
                error.WriteLine($"{label}: {fraction:P0} ({done:N0}/{total:N0}, {rate:N0}/s)");
            }
        };
    }
}
