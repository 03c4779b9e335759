using Zakaz.Operations.Backups;
using Zakaz.Pipeline.Quality;
using Zakaz.Pipeline.Reports;
using Zakaz.Pipeline.Runs;
using Zakaz.Storage;

namespace Zakaz.Operations.Alerts;

/// <summary>
/// The rules <c>zakaz serve</c> watches, each a query of what the pipeline records about itself: a job that failed twice in
/// a row, a served source stale beyond its red threshold, a failing data-quality check, ad spend without a city, no backup.
/// </summary>
/// <param name="sources">The sources this server loads; only they can be stale.</param>
/// <param name="backups">Whether this server takes nightly backups, so their absence is a problem.</param>
public sealed class AlertRules(IClickHouseStore store, IReadOnlyCollection<string> sources, bool backups, TimeProvider? time = null)
{
    public const string JobFailed = "job_failed";
    public const string SourceStale = "source_stale";
    public const string QualityFailed = "quality_failed";
    public const string UnmappedSpend = "unmapped_spend";
    public const string BackupMissing = "backup_missing";

    /// <summary>One failure may be a blip the next run fixes; two in a row is a problem someone must look at.</summary>
    public const int FailuresInARow = 2;

    public static readonly TimeSpan BackupMaxAge = TimeSpan.FromHours(26);

    public const int UnmappedSpendDays = 7;

    /// <summary>
    /// Checks with a rule of their own here (freshness per source, spend without a city over a fixed window) are not
    /// alerted twice through the quality checks.
    /// </summary>
    private static readonly string[] ChecksWithTheirOwnRule = ["freshness_%", "spend_without_city"];

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<IReadOnlyList<ActiveAlert>> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var alerts = new List<ActiveAlert>();
        alerts.AddRange(await FailingJobsAsync(cancellationToken));
        alerts.AddRange(await StaleSourcesAsync(now, cancellationToken));
        alerts.AddRange(await FailingChecksAsync(cancellationToken));
        alerts.AddRange(await UnmappedSpendAsync(cancellationToken));
        if (backups)
        {
            alerts.AddRange(await MissingBackupAsync(now, cancellationToken));
        }
        return alerts;
    }

    private async Task<IEnumerable<ActiveAlert>> FailingJobsAsync(CancellationToken cancellationToken)
    {
        // The last finished runs of each job, newest first; _ver breaks ties of runs started in the same second.
        var runs = await store.QueryAsync($"""
            SELECT toString(job) AS job, finished_at, toString(status) AS status, message
            FROM zakaz.meta_job_runs FINAL
            WHERE status IN ('{JobStatus.Ok}', '{JobStatus.Error}')
            ORDER BY job, started_at DESC, _ver DESC
            LIMIT 20 BY job
            """, cancellationToken: cancellationToken);
        var alerts = new List<ActiveAlert>();
        foreach (var job in Enumerable.Range(0, runs.Rows.Count).GroupBy(i => runs.Get<string>(i, "job")))
        {
            var failures = job.TakeWhile(i => runs.Get<string>(i, "status") == JobStatus.Error).ToList();
            if (failures.Count < FailuresInARow)
            {
                continue;
            }
            var since = runs.Get<DateTimeOffset?>(failures[^1], "finished_at") ?? _time.GetUtcNow();
            var times = failures.Count < 20 ? AlertText.Times(failures.Count) : "20 и более раз";
            alerts.Add(new ActiveAlert(JobFailed, job.Key, since,
                $"Задача {job.Key} не выполнена {times} подряд",
                $"Ошибки с {AlertText.Moment(since)}. Последняя: {runs.Get<string>(failures[0], "message")}",
                "Что делать: проверьте настройки и доступ к источнику командой zakaz doctor; журнал запусков на странице «Качество данных»."));
        }
        return alerts;
    }

    private async Task<IEnumerable<ActiveAlert>> StaleSourcesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var freshness = await store.QueryAsync("""
            SELECT source, last_loaded_at, red_after_minutes FROM bi.v_ops_freshness WHERE last_loaded_at IS NOT NULL
            """, cancellationToken: cancellationToken);
        var alerts = new List<ActiveAlert>();
        for (var i = 0; i < freshness.Rows.Count; i++)
        {
            var source = freshness.Get<string>(i, "source");
            var loaded = freshness.Get<DateTimeOffset>(i, "last_loaded_at");
            var red = TimeSpan.FromMinutes(freshness.Get<uint>(i, "red_after_minutes"));
            if (!sources.Contains(source) || now - loaded <= red)
            {
                continue;
            }
            alerts.Add(new ActiveAlert(SourceStale, source, loaded + red,
                $"Данные {AlertText.Source(source)} устарели",
                $"Последняя успешная загрузка {AlertText.Moment(loaded)}, {AlertText.Duration(now - loaded)} назад (порог {AlertText.Duration(red)})",
                "Что делать: убедитесь, что zakaz serve работает и источник доступен (zakaz doctor); порог задаёт ZAKAZ_FRESHNESS_*_RED_MINUTES."));
        }
        return alerts;
    }

    private async Task<IEnumerable<ActiveAlert>> FailingChecksAsync(CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters();
        var excluded = string.Join(" AND ", ChecksWithTheirOwnRule.Select((pattern, i) =>
        {
            parameters.Add($"own{i}", pattern);
            return $"check NOT LIKE {{own{i}:String}}";
        }));
        var checks = await store.QueryAsync($"""
            SELECT check, checked_at, detail FROM bi.v_ops_quality
            WHERE status = 'fail' AND {excluded}
            ORDER BY check
            """, parameters, cancellationToken: cancellationToken);
        return Enumerable.Range(0, checks.Rows.Count).Select(i => new ActiveAlert(QualityFailed, checks.Get<string>(i, "check"),
            checks.Get<DateTimeOffset>(i, "checked_at"),
            $"Проверка данных {checks.Get<string>(i, "check")} не проходит",
            $"{checks.Get<string>(i, "detail")} (проверено {AlertText.Moment(checks.Get<DateTimeOffset>(i, "checked_at"))})",
            "Что делать: откройте страницу «Качество данных»: там сказано, какие строки не прошли."));
    }

    private async Task<IEnumerable<ActiveAlert>> UnmappedSpendAsync(CancellationToken cancellationToken)
    {
        // The last full days the platforms have reported: yesterday (Moscow) and the six before.
        var spend = await store.QueryAsync("""
            SELECT sum(spend) AS total, sumIf(spend, city IN ('', 'unknown')) AS unmapped
            FROM zakaz.dm_ads_daily FINAL
            WHERE stat_date BETWEEN toDate(now('Europe/Moscow')) - {days:UInt16} AND toDate(now('Europe/Moscow')) - 1
            """, new QueryParameters().Add("days", (ushort)UnmappedSpendDays), cancellationToken: cancellationToken);
        var total = spend.Get<decimal>(0, "total");
        var unmapped = spend.Get<decimal>(0, "unmapped");
        if (total <= 0 || unmapped * 100 <= total * DataQualityChecks.MaxSpendWithoutCityPercent)
        {
            return [];
        }
        return [new ActiveAlert(UnmappedSpend, "7d", _time.GetUtcNow(),
            $"{RussianFormat.Percent((double)(unmapped / total))} расходов на рекламу без города",
            $"За {UnmappedSpendDays} дней {RussianFormat.Money(unmapped)} из {RussianFormat.Money(total)} не сопоставлены с городом и мероприятием (порог {DataQualityChecks.MaxSpendWithoutCityPercent} %)",
            "Что делать: добавьте правила сопоставления кампаний (zakaz mappings import) или UTM-метки в объявления.")];
    }

    private async Task<IEnumerable<ActiveAlert>> MissingBackupAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Without any backup yet, the clock starts with the first thing this store recorded.
        var runs = await store.QueryAsync($$"""
            SELECT maxOrNullIf(finished_at, job = {job:String} AND status = '{{JobStatus.Ok}}') AS last_backup,
                   minOrNull(started_at) AS first_run
            FROM zakaz.meta_job_runs FINAL
            """, new QueryParameters().Add("job", StoreBackups.Job), cancellationToken: cancellationToken);
        var lastBackup = runs.Get<DateTimeOffset?>(0, "last_backup");
        if ((lastBackup ?? runs.Get<DateTimeOffset?>(0, "first_run")) is not { } from || now - from <= BackupMaxAge)
        {
            return [];
        }
        return [new ActiveAlert(BackupMissing, "store", from + BackupMaxAge,
            $"Нет резервной копии дольше {AlertText.Duration(BackupMaxAge)}",
            lastBackup is { } last ? $"Последняя успешная копия {AlertText.Moment(last)}" : "Успешных резервных копий ещё не было",
            "Что делать: посмотрите zakaz backup list и место на диске, сделайте копию командой zakaz backup create.")];
    }
}
