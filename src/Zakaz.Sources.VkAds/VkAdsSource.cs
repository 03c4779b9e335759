using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// The VK Ads source's registration: its HttpClient with the shared resilience pipeline and the platform's rate
/// limits inside each attempt, the client and <see cref="IVkAdsSource"/>; tokens are kept in the given <see cref="IVkAdsTokenStore"/>.
/// </summary>
public static class VkAdsSource
{
    private const string HttpClientName = "VkAds";

    public static IServiceCollection AddVkAdsSource(this IServiceCollection services, Func<IServiceProvider, VkAdsClientOptions> options,
        Func<IServiceProvider, IVkAdsTokenStore> tokens)
    {
        services.AddSingleton(provider => options(provider).Validated());
        services.AddSingleton<VkAdsRateLimits>();
        // The tokens' requests go through the same client, made when first needed (the client's handlers need the tokens).
        services.AddSingleton(provider => new VkAdsTokens(provider.GetRequiredService<VkAdsClientOptions>(), tokens(provider),
            () => new VkAdsTransport(provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<VkAdsClient>>()));
        services.AddSourceHttpClient(HttpClientName)
            .ConfigureHttpClient((provider, http) =>
                http.BaseAddress = new Uri(provider.GetRequiredService<VkAdsClientOptions>().BaseUrl.GetLeftPart(UriPartial.Authority) + "/"))
            .ConfigureHttpClient(http => http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")))
            .AddHttpMessageHandler(provider => new VkAdsAuthHandler(provider.GetRequiredService<VkAdsTokens>(), provider.GetRequiredService<ILogger<VkAdsClient>>()))
            .AddSourceResilienceHandler<VkAdsClientOptions>(VkAdsTransport.Source, typeof(VkAdsClient).FullName!,
                (_, response, what, cancellationToken) => VkAdsTransport.ErrorAsync(response, what, cancellationToken))
            .AddHttpMessageHandler(provider => new VkAdsRateLimitHandler(provider.GetRequiredService<VkAdsRateLimits>()));
        services.AddSingleton(provider => new VkAdsClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<VkAdsClientOptions>(),
            provider.GetRequiredService<VkAdsTokens>(),
            provider.GetRequiredService<VkAdsRateLimits>(),
            provider.GetRequiredService<ILogger<VkAdsClient>>()));
        services.AddSingleton<IVkAdsSource>(provider => provider.GetRequiredService<VkAdsClient>());
        return services;
    }

    /// <summary>A client on its own (no host), built on <see cref="AddVkAdsSource"/>; disposing it releases its services.</summary>
    public static VkAdsClient Create(VkAdsClientOptions options, IVkAdsTokenStore tokens, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        options.Validated();
        var services = SourceServices.Build(s => s.AddVkAdsSource(_ => options, _ => tokens), loggers, time);
        var client = services.GetRequiredService<VkAdsClient>();
        client.OwnServices(services);
        return client;
    }
}
