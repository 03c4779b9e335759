using System.Globalization;

namespace Zakaz.Bench;

/// <summary>Peak resident memory of this process from Linux's /proc, which counts the in-process chDB engine too.</summary>
internal static class ProcessMemory
{
    /// <summary>Starts a new peak measurement (writing 5 to clear_refs resets VmHWM).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    public static double PeakResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
