using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.YandexDirect;

/// <summary>
/// The Yandex Direct source's registration: its HttpClient with the shared resilience pipeline and
/// <see cref="YandexDirectAnswerHandler"/> inside each attempt (Direct's errors live in the body), the client and <see cref="IYandexDirectSource"/>.
/// </summary>
public static class YandexDirectSource
{
    private const string HttpClientName = "YandexDirect";

    public static IServiceCollection AddYandexDirectSource(this IServiceCollection services, Func<IServiceProvider, YandexDirectClientOptions> options)
    {
        services.AddSingleton(provider => options(provider).Validated());
        services.AddSingleton<YandexDirectUsage>();
        services.AddSourceHttpClient(HttpClientName)
            .AddSourceResilienceHandler<YandexDirectClientOptions>(YandexDirectTransport.Source, typeof(YandexDirectClient).FullName!,
                (o, response, operation, cancellationToken) => DirectError.OfAnswerAsync(response, operation, o, retried: false, cancellationToken))
            .AddHttpMessageHandler(provider => new YandexDirectAnswerHandler(provider.GetRequiredService<YandexDirectUsage>(),
                provider.GetRequiredService<YandexDirectClientOptions>()));
        services.AddSingleton(provider => new YandexDirectClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<YandexDirectClientOptions>(),
            provider.GetRequiredService<YandexDirectUsage>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<YandexDirectClient>>()));
        services.AddSingleton<IYandexDirectSource>(provider => provider.GetRequiredService<YandexDirectClient>());
        return services;
    }

    /// <summary>A client on its own (no host), built on <see cref="AddYandexDirectSource"/>; disposing it releases its services.</summary>
    public static YandexDirectClient Create(YandexDirectClientOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        options.Validated();
        var services = SourceServices.Build(s => s.AddYandexDirectSource(_ => options), loggers, time);
        var client = services.GetRequiredService<YandexDirectClient>();
        client.OwnServices(services);
        return client;
    }
}
