namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// SplitMix64: tiny, allocation-free and the same on every platform and runtime, so a seed gives the same promoter
/// everywhere. Each order draws from its own stream, so adding orders never reshuffles existing ones.
/// </summary>
internal struct SandboxRandom(ulong state)
{
    private ulong _state = state;

    public static SandboxRandom For(int seed, Purpose purpose, long index) =>
        new(Mix(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15 ^ (ulong)purpose) + (ulong)index));

    /// <summary>A stable hash of (seed, stream, index) for values derived on demand, such as barcodes.</summary>
    public static ulong Hash(int seed, Purpose purpose, long index) => For(seed, purpose, index).NextUInt64();

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15;
        return Mix(_state);
    }

    /// <summary>0 ≤ result &lt; max.</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);

    /// <summary>min ≤ result &lt; max.</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>min ≤ result &lt; max.</summary>
    public long Next(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min));

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public int PickWeighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double weight in weights)
        {
            total += weight;
        }
        double point = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            point -= weights[i];
            if (point < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>What a random stream is for: independent streams of one seed.</summary>
    public enum Purpose : ulong
    {
        Events = 1,
        Schedule = 2,
        Orders = 3,
        Secrets = 4,
        People = 5,
        Companions = 6,
        Faults = 7,
        AdCabinet = 8,
        YandexDirect = 9,
    }
}
