namespace Zakaz.Bench;

/// <summary>Peak resident memory of this process from Linux's /proc, which counts the in-process chDB engine too.</summary>
internal static class ProcessMemory
{
    public static double PeakResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }
}
