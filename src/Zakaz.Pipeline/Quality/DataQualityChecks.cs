using Zakaz.Pipeline.Ads;
using Zakaz.Storage;
using static System.FormattableString;

namespace Zakaz.Pipeline.Quality;

/// <summary>
/// Data-quality checks over what the store holds now (<c>zakaz db smoke</c>, the Data health page), versioned tables
/// read with FINAL as every reader reads them. A check with nothing to measure reports <see cref="QualityStatus.NoData"/>,
/// so a freshly migrated, empty store passes.
/// </summary>
public sealed class DataQualityChecks(IClickHouseStore store)
{
    /// <summary>
    /// Spend under no city is left out of every city's ROI; above this share of all spend the city
    /// pages mislead, and the campaigns need rules in zakaz.map_campaigns.
    /// </summary>
    public const decimal MaxSpendWithoutCityPercent = 20m;

    /// <summary>
    /// Revenue without utm_source reaches no campaign; above this share campaign ROI misses most
    /// sales, which usually means the ads' links lost their UTM tags.
    /// </summary>
    public const decimal MaxRevenueWithoutUtmPercent = 50m;

    // Merges replace versions only inside a partition, so a key whose partition column changed
    // between versions (an order's created_at moving to another month) stays stored twice for good.
    // Plain FINAL hides that at query time by merging across partitions; any reader that does not
    // (per-partition FINAL, which ClickHouse also chooses by itself when the partition key allows,
    // or no FINAL) counts the key twice. Reading per partition shows exactly those keys.
    private static readonly QueryOptions PerPartitionFinal = new()
    {
        Settings = new Dictionary<string, string> { ["do_not_merge_across_partitions_select_final"] = "1" },
    };

    public async Task<IReadOnlyList<QualityCheckResult>> RunAsync(CancellationToken cancellationToken = default)
    {
        List<QualityCheckResult> results =
        [
            await DuplicateKeysAsync(cancellationToken),
            await NegativeValuesAsync(cancellationToken),
            await OrdersWithoutEventAsync(cancellationToken),
            await SpendWithoutCityAsync(cancellationToken),
            await RevenueWithoutUtmAsync(cancellationToken),
        ];
        results.AddRange(await FreshnessAsync(cancellationToken));
        return results;
    }

    /// <summary>Keys of versioned zakaz tables that are stored more than once after FINAL (see <see cref="PerPartitionFinal"/>).</summary>
    public async Task<QualityCheckResult> DuplicateKeysAsync(CancellationToken cancellationToken = default)
    {
        var tables = await store.QueryAsync("""
            SELECT name, sorting_key
            FROM system.tables
            WHERE database = 'zakaz' AND engine LIKE '%ReplacingMergeTree'
            ORDER BY name
            """, cancellationToken: cancellationToken);
        var offenders = new List<string>();
        ulong duplicated = 0;
        for (var i = 0; i < tables.Rows.Count; i++)
        {
            var table = tables.Get<string>(i, "name");
            // An expression from the catalog of a table the migrations created, not user input.
            var key = tables.Get<string>(i, "sorting_key");
            var count = (await store.QueryAsync(
                $"SELECT count() FROM (SELECT {key} FROM {Table(table)} FINAL GROUP BY {key} HAVING count() > 1)",
                options: PerPartitionFinal, cancellationToken: cancellationToken)).Scalar<ulong>();
            if (count > 0)
            {
                duplicated += count;
                offenders.Add(Invariant($"{table}: {count} key(s) ({key})"));
            }
        }
        return Counted("duplicate_keys", duplicated, "keys", Invariant($"{tables.Rows.Count} versioned tables hold each key once"),
            $"stored in more than one partition: {string.Join("; ", offenders)}");
    }

    /// <summary>
    /// Rows with a negative amount in staging, facts, marts and plans. Counts (tickets, orders,
    /// impressions, clicks) are unsigned columns, so only the signed ones (money) can go negative.
    /// The plan mart's differences (fact minus plan: diff, diff_tickets) are below zero whenever sales
    /// trail the plan, so they are not amounts and are left out.
    /// </summary>
    public async Task<QualityCheckResult> NegativeValuesAsync(CancellationToken cancellationToken = default)
    {
        var columns = await store.QueryAsync("""
            SELECT table, name
            FROM system.columns
            WHERE database = 'zakaz'
              AND match(table, '^(stg|fact|dm|plan)_')
              AND match(type, '^(Nullable\\()?(Decimal|Int)')
              AND NOT startsWith(name, 'diff')
            ORDER BY table, position
            """, cancellationToken: cancellationToken);
        var byTable = Enumerable.Range(0, columns.Rows.Count)
            .GroupBy(i => columns.Get<string>(i, "table"), i => columns.Get<string>(i, "name"))
            .ToList();
        var offenders = new List<string>();
        ulong negative = 0;
        foreach (var table in byTable)
        {
            var counts = await store.QueryAsync(
                $"SELECT {string.Join(", ", table.Select(c => $"countIf({StoreIdentifiers.Quote(c)} < 0)"))} FROM {Table(table.Key)} FINAL",
                cancellationToken: cancellationToken);
            foreach (var (column, ordinal) in table.Select((c, i) => (c, i)))
            {
                var count = counts.Get<ulong>(0, ordinal);
                if (count > 0)
                {
                    negative += count;
                    offenders.Add(Invariant($"{table.Key}.{column}: {count}"));
                }
            }
        }
        return Counted("negative_values", negative, "rows", Invariant($"{columns.Rows.Count} signed columns in {byTable.Count} tables have no negative value"),
            $"negative: {string.Join("; ", offenders)}");
    }

    /// <summary>Sales whose event is missing from dim_events: they count in no city and no event name.</summary>
    public async Task<QualityCheckResult> OrdersWithoutEventAsync(CancellationToken cancellationToken = default)
    {
        var result = await store.QueryAsync("""
            SELECT count() AS sales, countIf(unknown) AS orphans, sumIf(revenue, unknown) AS orphan_revenue
            FROM
            (
                SELECT revenue, event_id NOT IN (SELECT event_id FROM zakaz.dim_events FINAL) AS unknown
                FROM zakaz.stg_qtickets_api_orders_raw FINAL
                WHERE payed = 1 AND deleted_at IS NULL
            )
            """, cancellationToken: cancellationToken);
        var sales = result.Get<ulong>(0, "sales");
        var orphans = result.Get<ulong>(0, "orphans");
        return sales == 0
            ? new QualityCheckResult("orders_without_event", null, "sales", "0", QualityStatus.NoData, "no sales loaded")
            : Counted("orders_without_event", orphans, "sales", Invariant($"all {sales} sales refer to known events"),
                Invariant($"{orphans} of {sales} sales ({Money(result.Get<decimal>(0, "orphan_revenue"))} roubles) refer to events missing from dim_events"));
    }

    /// <summary>Ad spend that no rule assigned to a city (kept under 'unknown', never dropped).</summary>
    public Task<QualityCheckResult> SpendWithoutCityAsync(CancellationToken cancellationToken = default) =>
        ShareAsync("spend_without_city", "spend", $"({string.Join(" UNION ALL ", AdPlatform.All.Select(p => $"SELECT spend, city FROM {p.Daily} FINAL"))})",
            "city IN ('unknown', '')", MaxSpendWithoutCityPercent,
            "of ad spend has no city", "no ad spend loaded", cancellationToken);

    public Task<QualityCheckResult> RevenueWithoutUtmAsync(CancellationToken cancellationToken = default) =>
        ShareAsync("revenue_without_utm", "revenue", "zakaz.fact_qtickets_sales_utm_daily FINAL", "utm_source = ''", MaxRevenueWithoutUtmPercent,
            "of revenue has no utm_source", "no revenue in the UTM facts", cancellationToken);

    /// <summary>
    /// One row per source of bi.v_ops_freshness: red fails, except a source that has never run and
    /// holds no data, which is not late but not set up yet.
    /// </summary>
    public async Task<IReadOnlyList<QualityCheckResult>> FreshnessAsync(CancellationToken cancellationToken = default)
    {
        // A job belongs to the source named before the first dot of its name, as in bi.v_ops_freshness.
        var rows = await store.QueryAsync("""
            SELECT f.source AS source, f.last_loaded_at AS last_loaded_at, f.last_data_ts AS last_data_ts,
                   f.lag_minutes AS lag_minutes, f.status AS status, f.red_after_minutes AS red_after, r.runs AS runs
            FROM bi.v_ops_freshness AS f
            LEFT JOIN
            (
                SELECT splitByChar('.', toString(job))[1] AS source, count() AS runs
                FROM zakaz.meta_job_runs FINAL
                GROUP BY source
            ) AS r ON r.source = f.source
            ORDER BY source
            """, cancellationToken: cancellationToken);
        var results = new List<QualityCheckResult>();
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var source = rows.Get<string>(i, "source");
            var redAfter = rows.Get<uint>(i, "red_after");
            var threshold = Invariant($"<= {redAfter} min, last run ok");
            var loadedAt = rows.Get<DateTimeOffset?>(i, "last_loaded_at");
            var dataTs = rows.Get<DateTimeOffset?>(i, "last_data_ts");
            var lag = rows.Get<long?>(i, "lag_minutes");
            var status = rows.Get<string>(i, "status");
            var newest = dataTs is { } ts ? Invariant($"newest data {ts:yyyy-MM-dd HH:mm} UTC") : "no data";
            var (verdict, detail) = status switch
            {
                "red" when loadedAt is null && dataTs is null && rows.Get<ulong>(i, "runs") == 0 =>
                    (QualityStatus.NoData, "never loaded"),
                "red" when loadedAt is null => (QualityStatus.Fail, $"red: no successful load yet; {newest}"),
                "red" when lag > redAfter => (QualityStatus.Fail, Invariant($"red: last successful load {lag} min ago; {newest}")),
                "red" => (QualityStatus.Fail, Invariant($"red: the last run failed; last successful load {lag} min ago")),
                _ => (QualityStatus.Ok, Invariant($"{status}: last load {lag} min ago; {newest}")),
            };
            results.Add(new QualityCheckResult($"freshness_{source}", lag, "min", threshold, verdict, detail));
        }
        return results;
    }

    private async Task<QualityCheckResult> ShareAsync(string check, string measure, string table, string condition, decimal maxPercent,
        string what, string empty, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(
            $"SELECT sum({measure}) AS total, sumIf({measure}, {condition}) AS part FROM {table}",
            cancellationToken: cancellationToken);
        var total = result.Get<decimal>(0, "total");
        var part = result.Get<decimal>(0, "part");
        var threshold = Invariant($"<= {maxPercent} %");
        if (total == 0)
        {
            return new QualityCheckResult(check, null, "%", threshold, QualityStatus.NoData, empty);
        }
        var percent = Math.Round(part * 100 / total, 1);
        return new QualityCheckResult(check, percent, "%", threshold, percent > maxPercent ? QualityStatus.Fail : QualityStatus.Ok,
            Invariant($"{Money(part)} of {Money(total)} roubles ({percent:0.0} %) {what}"));
    }

    /// <summary>A count that must be 0; <paramref name="ok"/> or <paramref name="failed"/> says what was found.</summary>
    private static QualityCheckResult Counted(string check, ulong count, string unit, string ok, string failed) =>
        new(check, count, unit, "0", count == 0 ? QualityStatus.Ok : QualityStatus.Fail, count == 0 ? ok : failed);

    private static string Table(string name) => StoreIdentifiers.Quote($"zakaz.{name}");

    private static string Money(decimal amount) => amount.ToString("#,0.00", CultureInfo.InvariantCulture);
}
