using Zakaz.Storage;

namespace Zakaz.Web.Auth;

/// <summary>
/// The sessions ended by a logout before their cookie expires. Each is kept until that expiry and no
/// longer, so the list holds at most the logouts of one session lifetime. With a directory (the
/// embedded store's, beside the login keys) it is kept there in an owner-only file, so a
/// logout still holds after a restart; without one it lasts as long as the process, as its keys do.
/// </summary>
internal sealed class RevokedSessions
{
    public const string FileName = "dashboard-revoked-sessions";

    private readonly Dictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public RevokedSessions(string? directory, TimeProvider time)
    {
        _time = time;
        _path = directory is null ? null : Path.Combine(directory, FileName);
        if (_path is null || !File.Exists(_path))
        {
            return;
        }
        foreach (var line in File.ReadLines(_path))
        {
            // A torn or foreign line revokes nothing; the next logout rewrites the file whole.
            if (line.Split(' ') is [var id, var expires] && long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                _expiries[id] = seconds;
            }
        }
    }

    public bool Contains(string sessionId)
    {
        lock (_lock)
        {
            return _expiries.ContainsKey(sessionId);
        }
    }

    public void Add(string sessionId, long expiresUnixSeconds)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var expired in _expiries.Where(e => e.Value <= now).Select(e => e.Key).ToArray())
            {
                _expiries.Remove(expired);
            }
            _expiries[sessionId] = expiresUnixSeconds;
            if (_path is not null)
            {
                var text = string.Concat(_expiries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}\n")));
                // Never half a list that forgets logouts.
                OwnerOnly.Replace(_path, Encoding.UTF8.GetBytes(text));
            }
        }
    }
}
