using System.Diagnostics;

namespace Zakaz.Pipeline.Runs;

/// <summary>
/// The process a job run belongs to, as recorded with the run: host, pid and the process's start time,
/// so that a pid the system has handed to a later process is not taken for the run's own.
/// </summary>
internal sealed record RunProcess(string Host, uint Pid, DateTimeOffset StartedAt)
{
    /// <summary>
    /// Start times of one process differ by the second they are stored to and the clock's tick; a reused pid's
    /// by far more (the pid space must wrap first).
    /// </summary>
    private static readonly TimeSpan SameStart = TimeSpan.FromSeconds(2);

    public static RunProcess Current { get; } = Describe();

    /// <summary>Whether <paramref name="other"/> is this very process (start times as stored, to the second).</summary>
    public bool IsSameAs(RunProcess other) => Host == other.Host && Pid == other.Pid && (StartedAt - other.StartedAt).Duration() <= SameStart;

    /// <summary>
    /// Whether the process has ended, judged on this host only (false for another host's, which cannot be seen
    /// from here): its pid is free, or now belongs to a process started at another time.
    /// </summary>
    public bool HasEnded()
    {
        if (Host != Current.Host)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(checked((int)Pid));
            return !IsSameAs(this with { StartedAt = new DateTimeOffset(process.StartTime.ToUniversalTime()) });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // No process has that pid (any more), or it exited while being read.
            return true;
        }
    }

    private static RunProcess Describe()
    {
        using var self = Process.GetCurrentProcess();
        return new RunProcess(Environment.MachineName, checked((uint)Environment.ProcessId), new DateTimeOffset(self.StartTime.ToUniversalTime()));
    }
}
