using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zakaz.Configuration;
using Zakaz.Notifications;
using Zakaz.Operations.Alerts;
using Zakaz.Operations.Backups;
using Zakaz.Operations.Digest;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Quality;
using Zakaz.Pipeline.Sync;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// The jobs <c>zakaz serve</c> (and the demo) schedule for what is configured, and the sources they keep fresh.
/// Each sync records its own runs and rebuilds the facts of what it loaded; the quality checks follow every load.
/// </summary>
public static class ServeJobs
{
    /// <summary>
    /// Held by every run that writes Qtickets orders: the incremental sync and the reconciles write the same
    /// staging and the same journal of sale dates to rebuild, so one waits for the other.
    /// </summary>
    public const string QticketsOrdersLock = "qtickets orders";

    /// <summary>The data-quality checks are refreshed after every load and at least this often.</summary>
    public static readonly TimeSpan QualityInterval = TimeSpan.FromHours(1);

    /// <summary>The weekly full reconcile's day; the nightly one runs the other six.</summary>
    public const DayOfWeek FullReconcileDay = DayOfWeek.Sunday;

    /// <summary>
    /// The serving host's registrations of the pipeline: the options bound from <paramref name="settings"/> and
    /// validated when the host starts, each configured source (its client on the host's IHttpClientFactory),
    /// and the <see cref="ServedJobs"/> of its syncs, on the store and clock the host registered.
    /// </summary>
    public static IServiceCollection AddServeJobs(this IServiceCollection services, IConfiguration settings, IProgress<SyncProgress> progress)
    {
        services.AddOptions<ZakazOptions>().Bind(settings).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZakazOptions>, ConfigurationKeysValidation<ZakazOptions>>();
        // Which sources are configured decides what is registered, so it is read now; their values are read at start.
        var configured = settings.Get<ZakazOptions>() ?? new ZakazOptions();
        var qtickets = QticketsConfigured(configured);
        var vkAds = VkAdsConfigured(configured);
        var yandexDirect = YandexDirectConfigured(configured);
        if (qtickets)
        {
            services.AddQticketsSource(provider => QticketsClientOptions.FromConfiguration(Options(provider).Qtickets));
        }
        if (vkAds)
        {
            services.AddVkAdsSource(provider => VkAdsClientOptions.FromConfiguration(Options(provider).VkAds),
                provider => new VkAdsTokenTable(provider.GetRequiredService<IClickHouseStore>(), provider.GetService<TimeProvider>()));
        }
        if (yandexDirect)
        {
            services.AddYandexDirectSource(provider => YandexDirectClientOptions.FromConfiguration(Options(provider).YandexDirect));
        }
        services.AddNotificationChannels(provider => Options(provider).Channels);
        services.AddHostedService<BackupRequestService>();
        services.AddSingleton(provider => For(provider.GetRequiredService<IClickHouseStore>(), Options(provider),
            qtickets ? provider.GetRequiredService<IQticketsSource>() : null, vkAds ? provider.GetRequiredService<IVkAdsSource>() : null,
            progress, provider.GetService<TimeProvider>(), yandexDirect ? provider.GetRequiredService<IYandexDirectSource>() : null,
            provider.GetServices<INotificationChannel>().ToArray(), provider.GetService<ILoggerFactory>()));
        return services;
    }

    public static bool QticketsConfigured(ZakazOptions options) => !string.IsNullOrEmpty(options.Qtickets.Token);

    public static bool VkAdsConfigured(ZakazOptions options) =>
        !string.IsNullOrWhiteSpace(options.VkAds.ClientId) && !string.IsNullOrWhiteSpace(options.VkAds.ClientSecret);

    public static bool YandexDirectConfigured(ZakazOptions options) => !string.IsNullOrWhiteSpace(options.YandexDirect.Token);

    private static ZakazOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<ZakazOptions>>().Value;

    public static ServedJobs For(
        IClickHouseStore store, ZakazOptions options, IQticketsSource? qtickets, IVkAdsSource? vkAds, IProgress<SyncProgress> progress,
        TimeProvider? time = null, IYandexDirectSource? yandexDirect = null, IReadOnlyList<INotificationChannel>? channels = null,
        ILoggerFactory? logs = null)
    {
        var settings = options.Dashboard;
        var quality = new QualityCheckLog(store);
        var jobs = new List<ScheduledJob>
        {
            ScheduledJob.Recorded(QualityCheckLog.Job, JobSchedule.Every(QualityInterval), store, async ct => (await quality.RunAsync(ct)).Count),
        };
        var sources = new List<string>();
        if (qtickets is not null)
        {
            var sync = new QticketsSync(store, qtickets, options.Qtickets, progress, time);
            ScheduledJob Orders(string name, JobSchedule schedule, QticketsSyncRequest request) =>
                new(name, schedule, ct => sync.RunAsync(request, ct)) { Then = [QualityCheckLog.Job], Locks = [QticketsOrdersLock] };
            var nightly = Enum.GetValues<DayOfWeek>().Where(d => d != FullReconcileDay).ToArray();
            jobs.Add(Orders(QticketsSync.Job, JobSchedule.Every(TimeSpan.FromMinutes(settings.QticketsSyncMinutes)),
                new QticketsSyncRequest { Streams = QticketsStreams.Orders }));
            jobs.Add(Orders(QticketsSync.ReconcileJob, JobSchedule.At(settings.ReconcileTime, nightly),
                new QticketsSyncRequest { Streams = QticketsStreams.Orders, Reconcile = true }));
            jobs.Add(Orders(QticketsSync.FullReconcileJob, JobSchedule.At(settings.ReconcileTime, FullReconcileDay),
                new QticketsSyncRequest { Streams = QticketsStreams.Orders, Reconcile = true, AllOrders = true }));
            jobs.Add(new ScheduledJob(QticketsSync.InventoryJob, JobSchedule.Every(TimeSpan.FromMinutes(settings.QticketsInventoryMinutes)),
                ct => sync.RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Inventory }, ct))
            { Then = [QualityCheckLog.Job] });
            sources.Add("qtickets");
        }
        if (vkAds is not null)
        {
            // Each run re-reads VK_ADS_LOOKBACK_DAYS (7) days, which the platform restates.
            var sync = new VkAdsSync(store, vkAds, options.VkAds, progress);
            jobs.Add(new ScheduledJob(VkAdsSync.Job, JobSchedule.Every(TimeSpan.FromMinutes(settings.VkAdsSyncMinutes)),
                ct => sync.RunAsync(new AdSyncRequest(), ct))
            { Then = [QualityCheckLog.Job] });
            sources.Add("vk_ads");
        }
        if (yandexDirect is not null)
        {
            // Each run re-reads YANDEX_DIRECT_LOOKBACK_DAYS (7) days, which Direct restates.
            var sync = new YandexDirectSync(store, yandexDirect, options.YandexDirect, progress, time);
            jobs.Add(new ScheduledJob(YandexDirectSync.Job, JobSchedule.Every(TimeSpan.FromMinutes(settings.YandexDirectSyncMinutes)),
                ct => sync.RunAsync(new AdSyncRequest(), ct))
            { Then = [QualityCheckLog.Job] });
            sources.Add("yandex_direct");
        }
        if (channels is { Count: > 0 })
        {
            // Yesterday's digest to the channels that have not had it; a failed channel is retried alone (WallClockSchedule).
            var digest = new MorningDigestSender(store, channels, settings.PublicUrl, time, logs?.CreateLogger<MorningDigestSender>());
            jobs.Add(new ScheduledJob(MorningDigestSender.Job, JobSchedule.DailyAt(options.Digest.Time), digest.SendDueAsync));
        }
        if (store is ChDbStore { BackupDirectory: { } backupDirectory })
        {
            var backups = new StoreBackups(store, backupDirectory, time);
            jobs.Add(new ScheduledJob(StoreBackups.Job, JobSchedule.DailyAt(options.Backup.Time),
                ct => backups.CreateAndPruneAsync(options.Backup.KeepDays, cancellationToken: ct)));
        }
        return new ServedJobs(WithAlerts(jobs, store, sources, options, channels ?? [], time, logs), sources);
    }

    /// <summary>
    /// The alert evaluation, on its own schedule and after every run of every other job, so a failure is seen at once
    /// and a channel that hangs delays no sync.
    /// </summary>
    private static List<ScheduledJob> WithAlerts(List<ScheduledJob> jobs, IClickHouseStore store, IReadOnlyCollection<string> sources,
        ZakazOptions options, IReadOnlyList<INotificationChannel> channels, TimeProvider? time, ILoggerFactory? logs)
    {
        var rules = new AlertRules(store, sources, backups: jobs.Any(j => j.Name == StoreBackups.Job), time);
        var engine = new AlertEngine(rules, new AlertHistory(store), channels, options.Alerts, options.Dashboard.PublicUrl, time,
            logs?.CreateLogger<AlertEngine>());
        return
        [
            .. jobs.Select(j => j with { Finally = [AlertEngine.Job] }),
            new ScheduledJob(AlertEngine.Job, JobSchedule.Every(TimeSpan.FromMinutes(options.Alerts.EvaluateMinutes)), engine.EvaluateAsync),
        ];
    }
}

/// <summary>What the app schedules, and the sources that must be fresh for /readyz (null: every source).</summary>
public sealed record ServedJobs(IReadOnlyList<ScheduledJob> Jobs, IReadOnlyCollection<string>? Sources);
