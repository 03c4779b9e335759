namespace Zakaz.Sandbox.YandexDirect;

internal sealed record ReportFilter(string Field, bool Exclude, HashSet<long> Values);

/// <summary>How the TSV is written, from the request headers (spec §2).</summary>
internal readonly record struct ReportFormat(bool Micros, bool SkipReportHeader, bool SkipColumnHeader, bool SkipReportSummary);

/// <summary>
/// A <c>ReportDefinition</c> the sandbox can build: <c>CUSTOM_DATE</c> periods, the performance report types and the
/// fields a spend loader asks for. Rows are the requested fields' distinct values with the metrics summed over them
/// (grouping fields are not added by themselves), in the order of <c>FieldNames</c>.
/// </summary>
internal sealed record ReportDefinition(string Name, string Type, DateOnly From, DateOnly To, IReadOnlyList<string> Fields,
    bool IncludeVat, IReadOnlyList<ReportFilter> Filters)
{
    private static readonly string[] Metrics = ["Impressions", "Clicks", "Cost"];

    private static readonly Dictionary<string, string[]> FieldsByType = new(StringComparer.Ordinal)
    {
        ["CUSTOM_REPORT"] = ["Date", "CampaignId", "CampaignName", "CampaignType", "AdGroupId", "AdGroupName", "AdId", .. Metrics],
        ["AD_PERFORMANCE_REPORT"] = ["Date", "CampaignId", "CampaignName", "CampaignType", "AdGroupId", "AdGroupName", "AdId", .. Metrics],
        ["ADGROUP_PERFORMANCE_REPORT"] = ["Date", "CampaignId", "CampaignName", "CampaignType", "AdGroupId", "AdGroupName", .. Metrics],
        ["CAMPAIGN_PERFORMANCE_REPORT"] = ["Date", "CampaignId", "CampaignName", "CampaignType", .. Metrics],
    };

    private static readonly string[] FilterFields = ["CampaignId", "AdGroupId", "AdId"];

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The definition in <c>{"params": …}</c>, or the reason Direct would answer error 8000.</summary>
    public static ReportDefinition? Parse(JsonElement body, out string problem)
    {
        problem = "";
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("params", out JsonElement p) || p.ValueKind != JsonValueKind.Object)
        {
            problem = "The body must be {\"params\": ReportDefinition}.";
            return null;
        }
        string name = Text(p, "ReportName");
        string type = Text(p, "ReportType");
        string range = Text(p, "DateRangeType");
        string format = Text(p, "Format");
        string vat = Text(p, "IncludeVAT");
        string[] fields = p.TryGetProperty("FieldNames", out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String ? f.GetString() ?? "" : "")]
            : [];
        JsonElement criteria = p.TryGetProperty("SelectionCriteria", out JsonElement c) && c.ValueKind == JsonValueKind.Object ? c : default;
        problem = name.Length == 0 ? "ReportName is required."
            : !FieldsByType.TryGetValue(type, out string[]? allowed) ? $"ReportType '{type}' is missing or not one of {string.Join(", ", FieldsByType.Keys)}."
            : fields.Length == 0 ? "FieldNames must list at least one field."
            : fields.FirstOrDefault(f => !allowed.Contains(f)) is { } unknown ? $"FieldNames: '{unknown}' is not a field of {type} here ({string.Join(", ", allowed)})."
            : fields.Distinct(StringComparer.Ordinal).Count() != fields.Length ? "FieldNames lists a field twice."
            : range != "CUSTOM_DATE" ? $"DateRangeType '{range}' is not supported: use CUSTOM_DATE with SelectionCriteria.DateFrom and DateTo."
            : format != "TSV" ? "Format must be TSV."
            : vat is not ("YES" or "NO") ? "IncludeVAT must be YES or NO."
            : criteria.ValueKind != JsonValueKind.Object ? "SelectionCriteria is required."
            : "";
        if (problem.Length > 0)
        {
            return null;
        }
        if (!Date(criteria, "DateFrom", out DateOnly from) || !Date(criteria, "DateTo", out DateOnly to) || from > to)
        {
            problem = "SelectionCriteria.DateFrom and DateTo must be YYYY-MM-DD dates, DateFrom not after DateTo.";
            return null;
        }
        var filters = new List<ReportFilter>();
        if (criteria.TryGetProperty("Filter", out JsonElement filterList))
        {
            if (filterList.ValueKind != JsonValueKind.Array)
            {
                problem = "SelectionCriteria.Filter must be an array of {Field, Operator, Values}.";
                return null;
            }
            foreach (JsonElement filter in filterList.EnumerateArray())
            {
                string field = Text(filter, "Field");
                string op = Text(filter, "Operator");
                long[] values = filter.TryGetProperty("Values", out JsonElement v) && v.ValueKind == JsonValueKind.Array
                    ? [.. v.EnumerateArray().Select(x => long.TryParse(x.ToString(), CultureInfo.InvariantCulture, out long id) ? id : -1)]
                    : [];
                if (!FilterFields.Contains(field) || op is not ("EQUALS" or "IN" or "NOT_EQUALS" or "NOT_IN") || values.Length == 0 ||
                    values.Contains(-1) || (op.EndsWith("EQUALS", StringComparison.Ordinal) && values.Length != 1))
                {
                    problem = $"Filter: {{Field: '{field}', Operator: '{op}'}} is not supported here: Field one of {string.Join(", ", FilterFields)}, " +
                        "Operator EQUALS, IN, NOT_EQUALS or NOT_IN, Values ids (one for EQUALS).";
                    return null;
                }
                filters.Add(new ReportFilter(field, op.StartsWith("NOT_", StringComparison.Ordinal), [.. values]));
            }
        }
        return new ReportDefinition(name, type, from, to, fields, vat == "YES", filters);
    }

    /// <summary>
    /// The report as Direct writes it: UTF-8, tab-separated, every line ending in <c>\n</c>. Costs without VAT are the
    /// row's cost divided by 1.2, rounded to whole kopecks (half away from zero) row by row.
    /// </summary>
    public string Render(IEnumerable<ReportFact> facts, DirectAccount account, ReportFormat format)
    {
        var rows = new Dictionary<string, (string[] Keys, AdDay Sum)>(StringComparer.Ordinal);
        foreach (ReportFact fact in facts.Where(f => f.Date >= From && f.Date <= To && f.Day.Shows && Filters.All(filter => Passes(filter, f.Ad))))
        {
            string[] keys = [.. Fields.Select(field => Dimension(field, fact, account))];
            string key = string.Join('\t', keys);
            AdDay sum = rows.TryGetValue(key, out var row) ? row.Sum : default;
            rows[key] = (keys, new AdDay(sum.Impressions + fact.Day.Impressions, sum.Clicks + fact.Day.Clicks, sum.Cost + fact.Day.Cost));
        }
        var tsv = new StringBuilder();
        if (!format.SkipReportHeader)
        {
            tsv.Append(CultureInfo.InvariantCulture, $"\"{Name} ({From:yyyy-MM-dd} - {To:yyyy-MM-dd})\"\n");
        }
        if (!format.SkipColumnHeader)
        {
            tsv.AppendJoin('\t', Fields).Append('\n');
        }
        foreach ((string[] keys, AdDay sum) in rows.Values)
        {
            tsv.AppendJoin('\t', Fields.Select((field, i) => field switch
            {
                "Impressions" => sum.Impressions.ToString(CultureInfo.InvariantCulture),
                "Clicks" => sum.Clicks.ToString(CultureInfo.InvariantCulture),
                "Cost" => Money(IncludeVat ? sum.Cost : Math.Round(sum.Cost / 1.2m, 2, MidpointRounding.AwayFromZero), format.Micros),
                _ => keys[i],
            })).Append('\n');
        }
        if (!format.SkipReportSummary)
        {
            tsv.Append(CultureInfo.InvariantCulture, $"Total rows: {rows.Count}\n");
        }
        return tsv.ToString();
    }

    private static string Dimension(string field, ReportFact fact, DirectAccount account)
    {
        DirectCampaign campaign = account.CampaignById[fact.Ad.CampaignId];
        return field switch
        {
            "Date" => fact.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "CampaignId" => campaign.Id.ToString(CultureInfo.InvariantCulture),
            "CampaignName" => campaign.Name,
            "CampaignType" => campaign.Type,
            "AdGroupId" => fact.Ad.AdGroupId.ToString(CultureInfo.InvariantCulture),
            "AdGroupName" => account.GroupById[fact.Ad.AdGroupId].Name,
            "AdId" => fact.Ad.Id.ToString(CultureInfo.InvariantCulture),
            _ => "",
        };
    }

    private static bool Passes(ReportFilter filter, DirectAd ad)
    {
        long id = filter.Field switch
        {
            "CampaignId" => ad.CampaignId,
            "AdGroupId" => ad.AdGroupId,
            _ => ad.Id,
        };
        return filter.Values.Contains(id) != filter.Exclude;
    }

    /// <summary>Micros are whole kopecks × 10,000; without them, roubles with two decimals.</summary>
    private static string Money(decimal roubles, bool micros) => micros
        ? (roubles * 1_000_000m).ToString("0", CultureInfo.InvariantCulture)
        : roubles.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : "";

    private static bool Date(JsonElement criteria, string name, out DateOnly date) =>
        DateOnly.TryParseExact(Text(criteria, name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
