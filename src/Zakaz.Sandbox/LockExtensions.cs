namespace Zakaz.Sandbox;

internal static class LockExtensions
{
    public static T Locked<T>(this Lock gate, Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    public static void Locked(this Lock gate, Action change)
    {
        lock (gate)
        {
            change();
        }
    }
}
