using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Zakaz.Operations.Alerts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Quality;
using Zakaz.Pipeline.Sync;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>The serving host's registrations (<see cref="ServeJobs.AddServeJobs"/>): what <c>zakaz serve</c> and the demo run.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class ServeHostTests(ZakazSchemaFixture schema)
{
    private static readonly IProgress<SyncProgress> Quiet = new ProgressLines<SyncProgress>(TextWriter.Null);

    [Fact]
    public void Each_configured_source_gets_its_client_from_the_container_and_its_jobs()
    {
        using var provider = Services(new()
        {
            ["Qtickets:Token"] = "qtickets-token",
            ["Qtickets:BaseUrl"] = "http://127.0.0.1:9/api/rest/v1",
            ["VkAds:ClientId"] = "client",
            ["VkAds:ClientSecret"] = "secret",
            ["YandexDirect:Token"] = "direct-token",
        });

        var served = provider.GetRequiredService<ServedJobs>();

        Assert.Equal(
            [QualityCheckLog.Job, QticketsSync.Job, QticketsSync.ReconcileJob, QticketsSync.FullReconcileJob, QticketsSync.InventoryJob, VkAdsSync.Job, YandexDirectSync.Job, AlertEngine.Job],
            served.Jobs.Select(j => j.Name));
        Assert.All(served.Jobs.SkipLast(1), job => Assert.Equal([AlertEngine.Job], job.Finally));
        Assert.Equal(["qtickets", "vk_ads", "yandex_direct"], served.Sources);
        Assert.Equal("every 180 min", served.Jobs.Single(j => j.Name == YandexDirectSync.Job).Schedule!.ToString());
        Assert.IsType<YandexDirectClient>(provider.GetRequiredService<IYandexDirectSource>());
        Assert.IsType<QticketsClient>(provider.GetRequiredService<IQticketsSource>());
        Assert.Equal(new Uri("http://127.0.0.1:9/api/rest/v1"), provider.GetRequiredService<QticketsClientOptions>().BaseUrl);
        Assert.IsType<VkAdsClient>(provider.GetRequiredService<IVkAdsSource>());
    }

    [Fact]
    public void Without_sources_only_the_quality_checks_and_the_alerts_are_scheduled()
    {
        using var provider = Services([]);

        var served = provider.GetRequiredService<ServedJobs>();

        Assert.Equal([QualityCheckLog.Job, AlertEngine.Job], served.Jobs.Select(j => j.Name));
        Assert.Empty(served.Sources!);
        Assert.Null(provider.GetService<IQticketsSource>());
        Assert.Null(provider.GetService<IVkAdsSource>());
        Assert.Null(provider.GetService<IYandexDirectSource>());
    }

    [Fact]
    public async Task A_value_outside_the_rules_stops_the_host_at_start_naming_its_variable()
    {
        var settings = Settings(new() { ["Dashboard:QticketsSyncMinutes"] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ZakazWebApp.StartAsync(schema.Store,
            new DashboardOptions { Port = 0, Open = true, Services = services => services.AddServeJobs(settings, Quiet) }));

        Assert.Equal("ZAKAZ_SCHEDULE_QTICKETS_MINUTES='0' must be between 1 and 10080", error.Message);
    }

    private ServiceProvider Services(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(schema.Store);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddServeJobs(Settings(values), Quiet);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static IConfiguration Settings(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
