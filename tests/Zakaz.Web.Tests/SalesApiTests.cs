using System.Net;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;

namespace Zakaz.Web.Tests;

/// <summary>The Sales overview's endpoints over hand-written staging rows; every expected figure is computed by hand in the comments.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class SalesApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
        _dashboard = await Dashboard.StartAsync(schema.Store);
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Kpis_compare_with_the_previous_period_of_the_same_length()
    {
        var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-11");

        Assert.Equal("2026-03-08", answer.GetProperty("previousFrom").GetString());
        Assert.Equal("2026-03-09", answer.GetProperty("previousTo").GetString());
        // Current: 1500 + 800 + 700 + 600 = 3600 over 6 tickets and 4 orders; previous: one 1000 ticket.
        AssertKpi(answer, "revenue", 3600m, 1000m, 260.0m);
        AssertKpi(answer, "tickets", 6m, 1m, 500.0m);
        AssertKpi(answer, "orders", 4m, 1m, 300.0m);
        AssertKpi(answer, "avgTicketPrice", 600m, 1000m, -40.0m);
    }

    [Fact]
    public async Task A_city_filter_keeps_only_that_citys_events()
    {
        var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-11&city=москва");

        // Events 1 and 3: 1500 + 700 + 600.
        AssertKpi(answer, "revenue", 2800m, 1000m, 180.0m);
        AssertKpi(answer, "orders", 3m, 1m, 200.0m);
    }

    [Fact]
    public async Task A_city_name_of_any_script_with_hyphens_spaces_and_dots_matches_itself()
    {
        var staging = new Staging(schema.Store);
        await staging.Event(4, "Концерт Г", "ростов-на-дону");
        await staging.Event(5, "Концерт Д", "ст. озёрная (юг)");
        await staging.Sale(6, 4, Staging.Msk(2026, 3, 10), 450m);
        await staging.Sale(7, 5, Staging.Msk(2026, 3, 11), 250m, 250m);
        await new FactBuilder(schema.Store).RebuildAllAsync();

        foreach (var (city, revenue) in new[] { ("Ростов-на-Дону", 450m), ("ст. озёрная (юг)", 500m), ("ростов", 0m) })
        {
            var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-11&city=" + Uri.EscapeDataString(city));

            Assert.True(revenue == Kpi(answer, "revenue"), $"city={city}: revenue {Kpi(answer, "revenue")}, expected {revenue}");
        }
    }

    [Theory]
    [InlineData("москва'")]
    [InlineData("\"москва\"")]
    [InlineData(@"город\юг")]
    [InlineData("москва; DROP TABLE")]
    [InlineData("моск\u0000ва")]
    public async Task A_city_with_a_quote_or_sql_punctuation_is_a_400_naming_the_city_filter_in_russian(string city)
    {
        using var response = await _dashboard.Http.GetAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-11&city=" + Uri.EscapeDataString(city));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'city' must be a city name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("city", problem.GetProperty("parameter").GetString());
        Assert.Contains("не похоже на название города", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_has_every_day_of_the_range()
    {
        var table = await _dashboard.GetJsonAsync("/api/sales/daily?from=2026-03-09&to=2026-03-12");

        Assert.Equal(["d", "orders", "tickets", "revenue", "partial"], table.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.Equal(
            [("2026-03-09", 1, 1, 1000m), ("2026-03-10", 2, 3, 2300m), ("2026-03-11", 2, 3, 1300m), ("2026-03-12", 0, 0, 0m)],
            table.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("d").GetString(), r.GetProperty("orders").GetInt32(),
                r.GetProperty("tickets").GetInt32(), r.GetProperty("revenue").GetDecimal())));
    }

    [Fact]
    public async Task Bad_parameters_are_a_400_with_the_reason()
    {
        foreach (var (query, reason) in new[]
                 {
                     ("from=2026-13-01", "'from' must be a date"),
                     ("from=2026-03-12&to=2026-03-10", "is after"),
                     ("event=abc", "'event' must be an event id"),
                     ("city=", "'city' must be a city name"),
                     ("format=xml", "'format' is json, csv or xlsx"),
                     ("form=2026-01-01", "Unknown parameter 'form'"),
                     ("from=2000-01-01&to=2026-01-01", "longer than"),
                     ("limit=0", "'limit' must be 1 to 1000"),
                     ("limit=1001", "'limit' must be one whole number up to 1000"),
                     ("offset=-1", "'offset' must be one whole number"),
                     ("to=0001-01-01", "'to' must be a date from 2000-01-01 to 2099-12-31, not 0001-01-01"),
                     ("from=0001-01-01", "'from' must be a date from 2000-01-01"),
                     ("from=2140-01-01", "'from' must be a date from 2000-01-01 to 2099-12-31, not 2140-01-01"),
                     ("from=2099-12-01&to=9999-12-31", "'to' must be a date from 2000-01-01"),
                     ("from=1999-12-31", "'from' must be a date from 2000-01-01"),
                     ("from=2026-02-30", "'from' must be a date as yyyy-MM-dd, not '2026-02-30'"),
                 })
        {
            using var response = await _dashboard.Http.GetAsync("/api/sales/daily?" + query);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            // For people: the parameter at fault (the page shows the reason beside it) and the reason in Russian.
            var parameter = query.Contains("&to=", StringComparison.Ordinal) && reason.Contains("'to'", StringComparison.Ordinal) ? "to" : query[..query.IndexOf('=', StringComparison.Ordinal)];
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            Assert.Matches("[а-яА-ЯёЁ]", problem.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task The_first_and_last_dates_a_filter_may_name_answer_on_every_page()
    {
        string[] paths =
        [
            "sales/kpis", "sales/daily", "sales/cities", "sales/events", "sales/detail", "inventory/events", "marketing/kpis", "marketing/daily",
            "marketing/cities", "marketing/campaigns", "plan/rows", "plan/cumulative", "filters", "freshness",
        ];
        // The longest range from the first date reaches back another such range for its comparison period.
        var longest = $"from=2000-01-01&to={new DateOnly(2000, 1, 1).AddDays(3659):yyyy-MM-dd}";

        foreach (var path in paths)
        {
            foreach (var range in new[] { longest, "from=2099-12-01&to=2099-12-31" })
            {
                using var response = await _dashboard.Http.GetAsync($"/api/{path}?{range}");
                Assert.True(response.IsSuccessStatusCode, $"/api/{path}?{range}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private static decimal Kpi(JsonElement answer, string key) =>
        answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key).GetProperty("value").GetDecimal();

    private static void AssertKpi(JsonElement answer, string key, decimal value, decimal previous, decimal changePct)
    {
        var kpi = answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key);
        Assert.Equal((value, previous, changePct), (kpi.GetProperty("value").GetDecimal(), kpi.GetProperty("previous").GetDecimal(), kpi.GetProperty("changePct").GetDecimal()));
    }
}
