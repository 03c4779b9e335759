using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Zakaz.Web.Auth;

/// <summary>
/// How many password guesses <c>POST /login</c> takes: per client address and in total within a
/// window, and how many are checked at once. Each check is a PBKDF2 hash that keeps a core busy for
/// a fifth of a second, so without these a guesser slows every page and probe of the app; a
/// request beyond them is answered 429 before any hashing.
/// </summary>
public sealed class LoginLimits
{
    /// <summary>Attempts one client address (an IPv6 /64) may make per <see cref="Window"/>.</summary>
    public int PerClient { get; set; } = 10;

    /// <summary>Attempts all clients together may make per <see cref="Window"/>: a bound for guessers with many addresses.</summary>
    public int Total { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Passwords hashed at once; on two cores one leaves the other to the rest of the app.</summary>
    public int Concurrent { get; set; } = 1;

    /// <summary>Attempts that may wait for a hashing slot (without hashing) before more are refused.</summary>
    public int Queue { get; set; } = 4;

    /// <summary>
    /// The app's limiter: every login attempt takes a permit from its client's window, then from the
    /// shared window, then a hashing slot; every other request passes untouched.
    /// </summary>
    internal void AddTo(IServiceCollection services, Func<HttpContext, Task> rejected)
    {
        var window = new FixedWindowRateLimiterOptions { PermitLimit = PerClient, Window = Window, QueueLimit = 0 };
        var total = new FixedWindowRateLimiterOptions { PermitLimit = Total, Window = Window, QueueLimit = 0 };
        var hashing = new ConcurrencyLimiterOptions { PermitLimit = Concurrent, QueueLimit = Queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst };
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(rejected(context.HttpContext));
            };
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                OnAttempts(context => RateLimitPartition.GetFixedWindowLimiter(Client(context.Connection.RemoteIpAddress), _ => window)),
                OnAttempts(_ => RateLimitPartition.GetFixedWindowLimiter("login", _ => total)),
                OnAttempts(_ => RateLimitPartition.GetConcurrencyLimiter("login", _ => hashing)));
        });
    }

    private static PartitionedRateLimiter<HttpContext> OnAttempts(Func<HttpContext, RateLimitPartition<string>> partition) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsAttempt(context) ? partition(context) : RateLimitPartition.GetNoLimiter(""));

    /// <summary>Marks the endpoint that checks passwords (by endpoint, not path: routing also matches /LOGIN/).</summary>
    internal static readonly Attempt Marker = new();

    private static bool IsAttempt(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<Attempt>() is not null;

    /// <summary>
    /// The client a permit is counted for: its address (the proxy's client when the proxy is trusted, see
    /// <see cref="DashboardOptions.TrustedProxies"/>), an IPv6 client by its /64, which one host usually owns whole.
    /// </summary>
    internal static string Client(IPAddress? address) => address switch
    {
        null => "",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        { AddressFamily: AddressFamily.InterNetworkV6 } => new IPNetwork(new IPAddress([.. address.GetAddressBytes()[..8], .. new byte[8]]), 64).ToString(),
        _ => address.ToString(),
    };

    internal sealed class Attempt;
}
