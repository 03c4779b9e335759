using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Zakaz.Sources.Http;

/// <summary>What every source's registration starts from, and the one way to use a registration without a host.</summary>
public static class SourceServices
{
    /// <summary>
    /// The named client of a source: the product named, and (on the real network) decompression,
    /// a connect limit and connections renewed every few minutes, so a client kept for a whole run still sees DNS changes.
    /// </summary>
    /// <param name="network">Replaces the network (recorded fixtures, tests); null for the real one.</param>
    public static IHttpClientBuilder AddSourceHttpClient(this IServiceCollection services, string name, Func<HttpMessageHandler>? network = null)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddHttpClient(name, http => http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Zakaz", "1.0")))
            .ConfigurePrimaryHttpMessageHandler(network ?? (() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(30),
            }))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A container with one source's registration, for callers that have no host (a command, a benchmark, a test):
    /// the same registration a host uses, with the caller's loggers and clock.
    /// </summary>
    public static ServiceProvider Build(Action<IServiceCollection> register, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        register(services);
        return services.BuildServiceProvider();
    }
}
