using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

/// <summary>
/// The spec's §9 rules applied to served JSON, written apart from the sandbox's own calculation so that each checks
/// the other: sale = payed and no deleted_at; sold ticket = basket of a sale without deleted_at and refunded_at;
/// revenue = Σ price; sale date = payed_at's date in Moscow; city = event.city.name trimmed and lower-cased.
/// </summary>
internal sealed class SpecCalculator
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public int PaidOrders { get; private set; }

    public int CancelledOrders { get; private set; }

    public decimal RefundedAmount { get; private set; }

    public Dictionary<string, (int Orders, int Tickets, decimal Revenue)> Groups { get; } = [];

    public Dictionary<int, QticketsEventTruth> Events { get; } = [];

    public static SpecCalculator Compute(IEnumerable<JsonElement> orders, IEnumerable<JsonElement> events)
    {
        var calculator = new SpecCalculator();
        var cities = new Dictionary<long, string>();
        foreach (JsonElement e in events)
        {
            string city = e.GetProperty("city").GetProperty("name").GetString()!.Trim().ToLowerInvariant();
            cities[e.GetProperty("id").GetInt64()] = city;
            JsonElement[] live = [.. e.GetProperty("shows").EnumerateArray().Where(s => IsNull(s, "deleted_at"))];
            calculator.Events[e.GetProperty("id").GetInt32()] = new QticketsEventTruth(city,
                live.Length == 0 ? null : live.Min(s => Time(s, "start_date")),
                live.Length == 0 ? null : live.Max(s => Time(s, "finish_date")),
                !IsNull(e, "deleted_at"));
        }
        foreach (JsonElement order in orders)
        {
            calculator.Add(order, cities);
        }
        return calculator;
    }

    private void Add(JsonElement order, Dictionary<long, string> cities)
    {
        bool deleted = !IsNull(order, "deleted_at");
        CancelledOrders += deleted ? 1 : 0;
        JsonElement payed = order.GetProperty("payed");
        if (deleted || !(payed.ValueKind == JsonValueKind.True || payed.ValueKind == JsonValueKind.Number && payed.GetInt32() == 1))
        {
            return;
        }
        PaidOrders++;
        int tickets = 0;
        decimal revenue = 0;
        foreach (JsonElement basket in order.GetProperty("baskets").EnumerateArray())
        {
            if (!IsNull(basket, "deleted_at"))
            {
                continue;
            }
            if (!IsNull(basket, "refunded_at"))
            {
                RefundedAmount += basket.GetProperty("refunded_amount").GetDecimal();
                continue;
            }
            tickets += basket.TryGetProperty("quantity", out JsonElement quantity) && quantity.ValueKind == JsonValueKind.Number
                ? quantity.GetInt32()
                : 1;
            revenue += basket.GetProperty("price").GetDecimal();
        }
        JsonElement utm = order.GetProperty("utm");
        string date = DateOnly.FromDateTime(Time(order, "payed_at").ToOffset(Moscow).DateTime)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (string group in new[]
        {
            "total",
            "date:" + date,
            "event:" + order.GetProperty("event_id").GetInt64().ToString(CultureInfo.InvariantCulture),
            "city:" + cities[order.GetProperty("event_id").GetInt64()],
            "source:" + Utm(utm, "utm_source"),
            "campaign:" + Utm(utm, "utm_campaign"),
        })
        {
            (int o, int t, decimal r) = Groups.GetValueOrDefault(group);
            Groups[group] = (o + (tickets > 0 ? 1 : 0), t + tickets, r + revenue);
        }
    }

    /// <summary>The same groups, read from the sandbox's truth.</summary>
    public static Dictionary<string, (int Orders, int Tickets, decimal Revenue)> GroupsOf(QticketsGroundTruth truth)
    {
        var groups = new Dictionary<string, (int, int, decimal)> { ["total"] = (truth.Orders, truth.TicketsSold, truth.Revenue) };
        void Add<TKey>(string prefix, IReadOnlyDictionary<TKey, QticketsTotals> totals, Func<TKey, string> key)
        {
            foreach ((TKey k, QticketsTotals v) in totals)
            {
                groups[prefix + key(k)] = (v.Orders, v.Tickets, v.Revenue);
            }
        }
        Add("date:", truth.BySaleDate, d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("event:", truth.ByEvent, id => id.ToString(CultureInfo.InvariantCulture));
        Add("city:", truth.ByCity, c => c);
        Add("source:", truth.ByUtmSource, s => s);
        Add("campaign:", truth.ByUtmCampaign, c => c);
        return groups;
    }

    /// <summary>Capacity and places left of a show from its flat seats, over non-disabled seats (§3.6).</summary>
    public static QticketsShowInventory Inventory(JsonElement flatSeats)
    {
        int capacity = 0;
        int left = 0;
        foreach (JsonProperty seat in flatSeats.EnumerateObject())
        {
            if (!seat.Value.GetProperty("disabled").GetBoolean())
            {
                capacity += seat.Value.GetProperty("max_quantity").GetInt32();
                left += seat.Value.GetProperty("free_quantity").GetInt32();
            }
        }
        return new QticketsShowInventory(capacity, left);
    }

    private static string Utm(JsonElement utm, string key) =>
        utm.ValueKind == JsonValueKind.Object && utm.TryGetProperty(key, out JsonElement value)
            ? value.GetString()!.Trim().ToLowerInvariant()
            : "";

    private static bool IsNull(JsonElement element, string name) => element.GetProperty(name).ValueKind == JsonValueKind.Null;

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.ParseExact(element.GetProperty(name).GetString()!, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
