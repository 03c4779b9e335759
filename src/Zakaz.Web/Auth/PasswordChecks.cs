namespace Zakaz.Web.Auth;

/// <summary>
/// The password checks of the login page, counted: how many ran, how many are running and the most
/// that ever ran at once, which <see cref="LoginLimits"/> bounds. Tests read them as the signal that a
/// refused attempt cost no hashing.
/// </summary>
internal sealed class PasswordChecks(string? hash)
{
    private int _running;
    private int _mostAtOnce;
    private int _total;

    public int Running => Volatile.Read(ref _running);

    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public int Total => Volatile.Read(ref _total);

    public bool Verify(string password)
    {
        if (hash is null || password.Length == 0)
        {
            return false;
        }
        Interlocked.Increment(ref _total);
        var running = Interlocked.Increment(ref _running);
        try
        {
            for (var most = MostAtOnce; running > most; most = MostAtOnce)
            {
                Interlocked.CompareExchange(ref _mostAtOnce, running, most);
            }
            return PasswordHash.Verify(password, hash);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
