using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.Qtickets;

/// <summary>The Qtickets source's registration: its HttpClient with the shared resilience pipeline, the client, <see cref="IQticketsSource"/>.</summary>
public static class QticketsSource
{
    private const string HttpClientName = "Qtickets";

    /// <param name="network">Replaces the network (recorded fixtures, tests); null for the real API.</param>
    public static IServiceCollection AddQticketsSource(this IServiceCollection services, Func<IServiceProvider, QticketsClientOptions> options,
        Func<HttpMessageHandler>? network = null)
    {
        services.AddSingleton(provider => options(provider).Validated());
        services.AddSourceHttpClient(HttpClientName, network)
            .ConfigureHttpClient(http => http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")))
            .AddSourceResilienceHandler<QticketsClientOptions>(QticketsTransport.Source, typeof(QticketsClient).FullName!, QticketsTransport.ReadErrorAsync,
                retryMalformedJsonOnce: true);
        services.AddSingleton(provider => new QticketsClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<QticketsClientOptions>(),
            provider.GetRequiredService<ILogger<QticketsClient>>()));
        services.AddSingleton<IQticketsSource>(provider => provider.GetRequiredService<QticketsClient>());
        return services;
    }

    /// <summary>A client on its own (no host), built on <see cref="AddQticketsSource"/>; disposing it releases its services.</summary>
    public static QticketsClient Create(QticketsClientOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? network = null, TimeProvider? time = null)
    {
        options.Validated();
        var services = SourceServices.Build(s => s.AddQticketsSource(_ => options, network is null ? null : () => network), loggers, time);
        var client = services.GetRequiredService<QticketsClient>();
        client.OwnServices(services);
        return client;
    }
}
