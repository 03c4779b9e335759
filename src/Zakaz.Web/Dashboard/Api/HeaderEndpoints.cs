using Microsoft.AspNetCore.Routing;
using Zakaz.Web.Health;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>
/// What every page's header asks for: the filter lists, the data freshness, and the data version the
/// open pages poll so that they refresh their figures after a load.
/// </summary>
internal static class HeaderEndpoints
{
    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        var freshness = new Freshness(api.Reader, api.Options.Sources);

        api.Object(group, "/filters", async (_, context) =>
        {
            var dates = await api.Reader.QueryAsync("SELECT min_date, max_date FROM bi.v_filter_dates",
                cancellationToken: context.RequestAborted);
            var events = await api.Reader.QueryAsync("""
                SELECT event_id, event_name, city FROM bi.v_events WHERE deleted = 0 ORDER BY event_name, event_id
                """, cancellationToken: context.RequestAborted);
            var list = Enumerable.Range(0, events.Rows.Count)
                .Select(i => new { Id = events.Get<ulong>(i, "event_id"), Name = events.Get<string>(i, "event_name"), City = events.Get<string>(i, "city") })
                .ToArray();
            return new
            {
                Today = api.Today,
                MinDate = dates.Rows.Count == 0 ? null : dates.Get<DateOnly?>(0, "min_date"),
                MaxDate = dates.Rows.Count == 0 ? null : dates.Get<DateOnly?>(0, "max_date"),
                Cities = list.Select(e => e.City).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray(),
                Events = list,
            };
        });

        api.Object(group, "/freshness", async (_, context) => await freshness.ReadAsync(context.RequestAborted));

        // The pages poll this: when "version" changes, a load has finished and they draw their figures again;
        // "loadedAt" (UTC) is when, for the header's "обновлено". Both come from the small summaries the loads keep
        // (bi.v_data_version), so polling costs no scan.
        api.Object(group, "/version", async (_, context) =>
        {
            var data = await api.Reader.QueryAsync("SELECT version, loaded_at FROM bi.v_data_version", cancellationToken: context.RequestAborted);
            return new
            {
                Version = data.Get<ulong>(0, "version").ToString(CultureInfo.InvariantCulture),
                LoadedAt = data.Get<DateTimeOffset?>(0, "loaded_at")?.ToUniversalTime(),
            };
        });
    }
}
