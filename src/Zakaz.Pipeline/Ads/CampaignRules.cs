using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.Sync;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Ads;

/// <summary>What re-applying the mapping changed: staging rows given another city or event, and the rebuilt dates.</summary>
public sealed record MappingApplyResult(long RowsChanged, IReadOnlyList<DateRange> RebuiltRanges, long MartRows);

/// <summary>
/// The stored side of the campaign mapping: the rules in <c>zakaz.map_campaigns</c> with their CSV form for
/// spreadsheets (<c>match_kind,pattern,city,event_id,priority,active,note,source</c>; files from before the
/// <c>source</c> column import as rules for every platform), the city aliases, and re-applying the mapping to every
/// platform's staging that is already stored, so a rule change needs no re-download.
/// </summary>
public sealed class CampaignRules(IClickHouseStore store, TimeProvider? time = null)
{
    /// <summary>The columns of a rules file, by their English or Russian header names; the first three are required.</summary>
    public static IReadOnlyList<SheetColumn> Columns { get; } =
    [
        new("match_kind", true, "kind", "тип"),
        new("pattern", true, "value", "значение", "шаблон"),
        new("city", true, "город"),
        new("event_id", false, "event", "мероприятие"),
        new("priority", false, "приоритет"),
        new("active", false, "активно"),
        new("note", false, "comment", "примечание", "комментарий"),
        new("source", false, "platform", "площадка"),
    ];

    public const string Table = "zakaz.map_campaigns";

    private static RowSchema<(MappingRule Rule, ulong Version, DateTimeOffset UpdatedAt)> RuleSchema { get; } =
        new RowSchema<(MappingRule Rule, ulong Version, DateTimeOffset UpdatedAt)>()
            .Column("source", "LowCardinality(String)", r => r.Rule.Source)
            .Column("match_kind", "LowCardinality(String)", r => r.Rule.MatchKind)
            .Column("pattern", "String", r => r.Rule.Pattern)
            .Column("city", "LowCardinality(String)", r => r.Rule.City)
            .Column("event_id", "UInt64", r => r.Rule.EventId)
            .Column("priority", "Int32", r => r.Rule.Priority)
            .Column("active", "UInt8", r => r.Rule.Active)
            .Column("note", "String", r => r.Rule.Note)
            .Column("_ver", "UInt64", r => r.Version)
            .Column("_updated_at", "DateTime('UTC')", r => r.UpdatedAt);

    private const int DefaultPriority = 100;

    public async Task<CampaignMapping> LoadMappingAsync(CancellationToken cancellationToken = default) =>
        new(await ReadAsync(cancellationToken), await CityAliases.LoadAsync(store, cancellationToken));

    /// <summary>Every rule, removed ones (active = 0) included.</summary>
    public async Task<IReadOnlyList<MappingRule>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await store.QueryAsync($"""
            SELECT toString(source), toString(match_kind), pattern, toString(city), event_id, priority, active, note
            FROM {Table} FINAL
            ORDER BY priority, match_kind, pattern, source
            """, cancellationToken: cancellationToken);
        return Enumerable.Range(0, result.Rows.Count).Select(i => new MappingRule(
            result.Get<string>(i, 0), result.Get<string>(i, 1), result.Get<string>(i, 2), result.Get<string>(i, 3), result.Get<ulong>(i, 4),
            result.Get<int>(i, 5), result.Get<byte>(i, 6) == 1, result.Get<string>(i, 7))).ToList();
    }

    /// <summary>
    /// Reads a whole rules file and replaces the stored rules with it (rules missing from the file are kept as
    /// inactive), or imports nothing when any line is bad. Cities are stored canonical when an alias names them.
    /// </summary>
    public async Task<IReadOnlyList<MappingRule>> ImportAsync(SheetTable table, CancellationToken cancellationToken = default)
    {
        var rules = Parse(table, await CityAliases.LoadAsync(store, cancellationToken));
        var existing = await ReadAsync(cancellationToken);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var version = await StoreVersions.NextAsync(store, Table, now, cancellationToken);
        var keys = rules.Select(r => (r.Source, r.MatchKind, r.Pattern)).ToHashSet();
        var removed = existing.Where(r => r.Active && !keys.Contains((r.Source, r.MatchKind, r.Pattern))).Select(r => r with { Active = false });
        var rows = rules.Concat(removed).Select(r => (r, version, now)).ToList();
        await store.InsertAsync(Table, RuleSchema, rows, cancellationToken: cancellationToken);
        return rules;
    }

    /// <summary>The active rules as CSV with a header, ready for a spreadsheet and for <see cref="ImportAsync"/>.</summary>
    public async Task ExportAsync(TextWriter csv, CancellationToken cancellationToken = default)
    {
        await csv.WriteLineAsync(string.Join(',', Columns.Select(c => c.Name)));
        foreach (var rule in (await ReadAsync(cancellationToken)).Where(r => r.Active))
        {
            await csv.WriteLineAsync(string.Join(',', new[]
            {
                rule.MatchKind, rule.Pattern, rule.City, rule.EventId.ToString(CultureInfo.InvariantCulture),
                rule.Priority.ToString(CultureInfo.InvariantCulture), "1", rule.Note, rule.Source,
            }.Select(Quote)));
        }
    }

    /// <summary>
    /// Gives every stored staging row of every platform (of the dates given, or all) the city and event the current
    /// rules and conventions assign its ad, with a new version where they changed, then rebuilds the marts for those dates.
    /// </summary>
    public async Task<MappingApplyResult> ApplyAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        var mapping = await LoadMappingAsync(cancellationToken);
        var changedDates = new HashSet<DateOnly>();
        long changed = 0;
        foreach (var platform in AdPlatform.All)
        {
            var assigned = (await platform.StoredAdsAsync(store, cancellationToken)).ToDictionary(a => a.AdId, mapping.Assign);
            var version = await StoreVersions.NextAsync(store, platform.Daily, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
            // Ids in chunks: each statement carries its share of the ad → city/event table as array parameters.
            foreach (var chunk in assigned.Chunk(2_000))
            {
                var parameters = new QueryParameters()
                    .Add("from", from ?? new DateOnly(1970, 1, 1)).Add("to", to ?? new DateOnly(2149, 6, 6))
                    .Add("ids", chunk.Select(p => (ulong)p.Key).ToArray())
                    .Add("cities", chunk.Select(p => p.Value.City).ToArray())
                    .Add("events", chunk.Select(p => p.Value.EventId).ToArray())
                    .Add("ver", version);
                var differs = $$"""
                    stat_date BETWEEN {from:Date} AND {to:Date}
                      AND has({ids:Array(UInt64)}, {{platform.AdId}})
                      AND (toString(city) != transform({{platform.AdId}}, {ids:Array(UInt64)}, {cities:Array(String)}, 'unknown')
                           OR event_id != transform({{platform.AdId}}, {ids:Array(UInt64)}, {events:Array(UInt64)}, toUInt64(0)))
                    """;
                var dates = await store.QueryAsync($"SELECT DISTINCT stat_date FROM {platform.Daily} FINAL WHERE {differs}", parameters, cancellationToken: cancellationToken);
                if (dates.Rows.Count == 0)
                {
                    continue;
                }
                changedDates.UnionWith(Enumerable.Range(0, dates.Rows.Count).Select(i => dates.Get<DateOnly>(i, 0)));
                var count = await store.QueryAsync($"SELECT count() FROM {platform.Daily} FINAL WHERE {differs}", parameters, cancellationToken: cancellationToken);
                changed += count.Scalar<long>();
                // The subquery keeps the replaced names from shadowing the stored city and event in the condition.
                await store.ExecuteAsync($$"""
                    INSERT INTO {{platform.Daily}}
                    SELECT * REPLACE (
                        transform({{platform.AdId}}, {ids:Array(UInt64)}, {cities:Array(String)}, 'unknown') AS city,
                        transform({{platform.AdId}}, {ids:Array(UInt64)}, {events:Array(UInt64)}, toUInt64(0)) AS event_id,
                        {ver:UInt64} AS _ver,
                        now() AS _loaded_at)
                    FROM (SELECT * FROM {{platform.Daily}} FINAL WHERE {{differs}})
                    """, parameters, cancellationToken: cancellationToken);
            }
        }
        var facts = await new FactBuilder(store, time).RebuildForLoadAsync(changedDates, cancellationToken);
        return new MappingApplyResult(changed, facts.Ranges, facts.Tables.Where(t => t.Table == FactBuilder.AdsDaily).Sum(t => t.Rows));
    }

    /// <summary>Every row checked; any problem fails the whole table with all of them listed by line.</summary>
    internal static List<MappingRule> Parse(SheetTable table, CityAliases aliases)
    {
        var columns = SheetColumns.Locate(table, Columns);
        return BadRowsException.ReadAll(table, "; ", (row, errors) =>
        {
            var source = columns.Cell(row, "source").ToLowerInvariant();
            var kind = columns.Cell(row, "match_kind").ToLowerInvariant();
            var pattern = columns.Cell(row, "pattern");
            var city = columns.Cell(row, "city");
            if (!CampaignMapping.MatchKinds.Contains(kind))
            {
                errors.Add($"match_kind '{kind}' is not one of {string.Join(", ", CampaignMapping.MatchKinds)}");
            }
            if (source.Length > 0 && !AdSources.All.Contains(source))
            {
                errors.Add($"source '{source}' is not one of {string.Join(", ", AdSources.All)} (or empty for every platform)");
            }
            if (pattern.Length == 0)
            {
                errors.Add("pattern is empty");
            }
            else if (kind.EndsWith("_id", StringComparison.Ordinal) && !ulong.TryParse(pattern, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                errors.Add($"pattern '{pattern}' is not a numeric {kind}");
            }
            if (city.Length == 0)
            {
                errors.Add("city is empty");
            }
            ulong eventId = 0;
            if (columns.Cell(row, "event_id") is { Length: > 0 } eventText && !ulong.TryParse(eventText, NumberStyles.None, CultureInfo.InvariantCulture, out eventId))
            {
                errors.Add($"event_id '{eventText}' is not a whole number");
            }
            var priority = DefaultPriority;
            if (columns.Cell(row, "priority") is { Length: > 0 } priorityText &&
                !int.TryParse(priorityText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority))
            {
                errors.Add($"priority '{priorityText}' is not a whole number");
            }
            var active = columns.Cell(row, "active").ToLowerInvariant() switch
            {
                "" or "1" or "true" or "yes" or "да" => true,
                "0" or "false" or "no" or "нет" => false,
                var other => Invalid(errors, $"active '{other}' is not 1/0 or true/false"),
            };
            if (kind.StartsWith("utm_", StringComparison.Ordinal))
            {
                pattern = UtmValues.Normalize(pattern);
            }
            return errors.Count > 0 ? null : new MappingRule(source, kind, pattern, aliases.Resolve(city), eventId, priority, active, columns.Cell(row, "note"));
        }, r => (r.Source, r.MatchKind, r.Pattern), (r, first) => $"{r.MatchKind} '{r.Pattern}'{(r.Source.Length > 0 ? " for " + r.Source : "")} is already ruled on line {first}");
    }

    private static bool Invalid(List<string> errors, string error)
    {
        errors.Add(error);
        return false;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r', ';']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
