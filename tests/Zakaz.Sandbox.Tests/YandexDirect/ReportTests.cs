using System.Net;
using Microsoft.Extensions.Time.Testing;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Sandbox.Tests.YandexDirect;

[Collection(DirectCollection.Name)]
public sealed class ReportTests(DirectFixture fixture)
{
    private static readonly Dictionary<string, string> Online = new() { ["processingMode"] = "online" };

    private readonly DirectClient _client = fixture.Client;

    private DateOnly LastDay => fixture.Sandbox.SpendDays.To;

    [Fact]
    public async Task An_offline_report_is_queued_then_built_with_a_changing_retryIn_then_served_as_TSV()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, RetryInSeconds = [3, 1, 2] });
        using var client = new DirectClient(sandbox);
        DateOnly to = sandbox.SpendDays.To;
        var definition = DirectClient.Definition("offline-1", to.AddDays(-6), to);
        var statuses = new List<HttpStatusCode>();
        var retryIn = new List<string>();
        string tsv = "";
        for (int poll = 0; poll < 4; poll++)
        {
            using HttpResponseMessage response = await client.ReportAsync(definition);
            statuses.Add(response.StatusCode);
            if (response.Headers.TryGetValues("retryIn", out var values))
            {
                retryIn.Add(values.Single());
                Assert.Equal("1", response.Headers.GetValues("reportsInQueue").Single());
            }
            tsv = await response.Content.ReadAsStringAsync();
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.OK], statuses);
        Assert.Equal(["3", "1", "2"], retryIn);
        string[] lines = tsv.Split('\n');
        Assert.Equal($"\"offline-1 ({DirectClient.Day(to.AddDays(-6))} - {DirectClient.Day(to)})\"", lines[0]);
        Assert.Equal("Date\tCampaignId\tCampaignName\tAdGroupId\tAdId\tImpressions\tClicks\tCost", lines[1]);
        Assert.NotEmpty(DirectClient.Rows(tsv));
        Assert.Equal(4, sandbox.ReportRequests);
        Assert.Equal(["offline-1"], sandbox.ReportNames);
    }

    [Fact]
    public async Task The_skip_headers_leave_only_the_data_rows_each_ending_in_a_newline()
    {
        var definition = DirectClient.Definition("skip-none", LastDay.AddDays(-3), LastDay);
        string full = await _client.ReadyReportAsync(definition, Online);
        string bare = await _client.ReadyReportAsync(DirectClient.Definition("skip-all", LastDay.AddDays(-3), LastDay), new Dictionary<string, string>
        {
            ["processingMode"] = "online",
            ["skipReportHeader"] = "true",
            ["skipColumnHeader"] = "true",
            ["skipReportSummary"] = "true",
        });

        string[] fullLines = full[..^1].Split('\n');
        Assert.EndsWith("\n", bare, StringComparison.Ordinal);
        Assert.Equal(fullLines[2..^1], bare[..^1].Split('\n'));
        Assert.Equal(DirectClient.Rows(full).Count, bare[..^1].Split('\n').Length);
    }

    [Fact]
    public async Task Cost_is_in_micros_of_whole_kopecks_in_roubles_without_them_and_divided_by_1_2_without_VAT()
    {
        DateOnly from = LastDay.AddDays(-9);
        string[] fields = ["AdId", "Date", "Cost"];
        var micros = DirectClient.Rows(await _client.ReadyReportAsync(DirectClient.Definition("money-micros", from, LastDay, fields: fields), Online));
        var roubles = DirectClient.Rows(await _client.ReadyReportAsync(DirectClient.Definition("money-roubles", from, LastDay, fields: fields),
            new Dictionary<string, string> { ["processingMode"] = "online", ["returnMoneyInMicros"] = "false" }));
        var withoutVat = DirectClient.Rows(await _client.ReadyReportAsync(DirectClient.Definition("money-no-vat", from, LastDay, "NO", fields), Online));

        Assert.NotEmpty(micros);
        Assert.Equal(micros.Count, roubles.Count);
        for (int i = 0; i < micros.Count; i++)
        {
            long cost = long.Parse(micros[i]["Cost"], CultureInfo.InvariantCulture);
            Assert.Equal(0, cost % 10_000);
            Assert.Matches(@"^\d+\.\d\d$", roubles[i]["Cost"]);
            Assert.Equal(cost / 1_000_000m, decimal.Parse(roubles[i]["Cost"], CultureInfo.InvariantCulture));
            Assert.Equal(Math.Round(cost / 1_000_000m / 1.2m, 2, MidpointRounding.AwayFromZero) * 1_000_000m,
                decimal.Parse(withoutVat[i]["Cost"], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Columns_follow_FieldNames_and_rows_group_by_the_fields_asked_for()
    {
        DateOnly from = LastDay.AddDays(-4);
        string byDay = await _client.ReadyReportAsync(DirectClient.Definition("by-day", from, LastDay, fields: ["Cost", "Clicks", "Date"]), Online);
        var detailed = DirectClient.Rows(await _client.ReadyReportAsync(DirectClient.Definition("by-ad-day", from, LastDay), Online));

        Assert.Equal("Cost\tClicks\tDate", byDay.Split('\n')[1]);
        var days = DirectClient.Rows(byDay);
        Assert.Equal(5, days.Count);
        Assert.Equal(detailed.Sum(r => long.Parse(r["Cost"], CultureInfo.InvariantCulture)), days.Sum(r => long.Parse(r["Cost"], CultureInfo.InvariantCulture)));
        Assert.Equal(detailed.Sum(r => long.Parse(r["Clicks"], CultureInfo.InvariantCulture)), days.Sum(r => long.Parse(r["Clicks"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_period_longer_than_the_limit_answers_502_and_one_within_it_is_served()
    {
        using HttpResponseMessage tooLong = await _client.ReportAsync(DirectClient.Definition("long", LastDay.AddDays(-92), LastDay), Online);
        using HttpResponseMessage fits = await _client.ReportAsync(DirectClient.Definition("fits", LastDay.AddDays(-91), LastDay), Online);

        Assert.Equal(HttpStatusCode.BadGateway, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    [Theory]
    [InlineData("ReportName")]
    [InlineData("FieldNames")]
    [InlineData("ReportType")]
    [InlineData("DateRangeType")]
    [InlineData("Format")]
    [InlineData("IncludeVAT")]
    [InlineData("SelectionCriteria")]
    public async Task A_definition_missing_a_required_part_is_error_8000_naming_it(string part)
    {
        var definition = DirectClient.Definition("incomplete-" + part, LastDay, LastDay);
        definition.Remove(part);

        using HttpResponseMessage response = await _client.ReportAsync(definition);
        JsonElement error = await DirectClient.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(8000, error.GetProperty("error_code").GetInt32());
        Assert.Contains(part, error.GetProperty("error_detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_known_name_with_other_parameters_is_an_error_and_with_the_same_ones_polls_it()
    {
        var first = DirectClient.Definition("reused-name", LastDay.AddDays(-1), LastDay);
        var changed = DirectClient.Definition("reused-name", LastDay.AddDays(-2), LastDay);

        using HttpResponseMessage queued = await _client.ReportAsync(first);
        using HttpResponseMessage conflict = await _client.ReportAsync(changed);
        using HttpResponseMessage polled = await _client.ReportAsync(first);

        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, conflict.StatusCode);
        Assert.Equal(4000, (await DirectClient.ErrorAsync(conflict)).GetProperty("error_code").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, polled.StatusCode);
    }

    [Fact]
    public async Task More_offline_reports_than_the_queue_holds_answer_9000_until_one_is_done()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, MaxQueuedReports = 2, OfflinePolls = 0 });
        using var client = new DirectClient(sandbox);
        DateOnly day = sandbox.SpendDays.To;

        using HttpResponseMessage a = await client.ReportAsync(DirectClient.Definition("queue-a", day, day));
        using HttpResponseMessage b = await client.ReportAsync(DirectClient.Definition("queue-b", day, day));
        using HttpResponseMessage c = await client.ReportAsync(DirectClient.Definition("queue-c", day, day));
        using HttpResponseMessage aDone = await client.ReportAsync(DirectClient.Definition("queue-a", day, day));
        using HttpResponseMessage cAgain = await client.ReportAsync(DirectClient.Definition("queue-c", day, day));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.Created],
            new[] { a, b, c, aDone, cAgain }.Select(r => r.StatusCode));
        Assert.Equal(9000, (await DirectClient.ErrorAsync(c)).GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task A_report_nobody_polls_leaves_the_queue_once_Direct_would_have_built_it()
    {
        var clock = new FakeTimeProvider(DirectClient.Anchor);
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, MaxQueuedReports = 1, Clock = clock });
        using var client = new DirectClient(sandbox);
        DateOnly day = sandbox.SpendDays.To;

        using HttpResponseMessage abandoned = await client.ReportAsync(DirectClient.Definition("abandoned", day, day));
        using HttpResponseMessage full = await client.ReportAsync(DirectClient.Definition("next-run", day, day));
        clock.Advance(TimeSpan.FromMinutes(1));
        using HttpResponseMessage queued = await client.ReportAsync(DirectClient.Definition("next-run", day, day));
        using HttpResponseMessage built = await client.ReportAsync(DirectClient.Definition("abandoned", day, day));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.Created, HttpStatusCode.OK],
            new[] { abandoned, full, queued, built }.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Restatements_show_in_new_reports_a_zero_day_disappears_and_an_old_name_keeps_its_figures()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Orders = 200, OnlineReports = false, OfflinePolls = 0 });
        using var client = new DirectClient(sandbox);
        DateOnly day = sandbox.SpendDays.To;
        long adId = sandbox.AdsWithSpend(day)[0];
        AdRow Row(string tsv) => DirectClient.Rows(tsv).Where(r => r["AdId"] == adId.ToString(CultureInfo.InvariantCulture))
            .Select(r => new AdRow(long.Parse(r["Cost"], CultureInfo.InvariantCulture), long.Parse(r["Impressions"], CultureInfo.InvariantCulture), long.Parse(r["Clicks"], CultureInfo.InvariantCulture)))
            .SingleOrDefault();
        decimal truthBefore = sandbox.Truth.Total.Spend;
        AdRow before = Row(await client.ReadyReportAsync(DirectClient.Definition("restate-before", day, day)));

        sandbox.Restate(adId, day, 123.45m, 1_000, 10);
        AdRow restated = Row(await client.ReadyReportAsync(DirectClient.Definition("restate-after", day, day)));
        AdRow stale = Row(await client.ReadyReportAsync(DirectClient.Definition("restate-before", day, day)));
        decimal truthRestated = sandbox.Truth.Total.Spend;
        using (var http = new HttpClient())
        {
            using HttpResponseMessage zero = await http.PostAsync(new Uri(sandbox.RootUrl, "__sandbox/restate"),
                new StringContent($$"""{"ad_id": {{adId}}, "date": "{{DirectClient.Day(day)}}", "cost": 0, "impressions": 5, "clicks": 1}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NoContent, zero.StatusCode);
        }
        string gone = await client.ReadyReportAsync(DirectClient.Definition("restate-zero", day, day));

        Assert.NotEqual(default, before);
        Assert.Equal(new AdRow(123_450_000, 1_000, 10), restated);
        Assert.Equal(before, stale);
        Assert.Equal(truthBefore - before.Cost / 1_000_000m + 123.45m, truthRestated);
        Assert.Equal(default, Row(gone));
        Assert.DoesNotContain(adId, sandbox.AdsWithSpend(day));
        Assert.Equal(truthBefore - before.Cost / 1_000_000m, sandbox.Truth.Total.Spend);
    }

    [Fact]
    public async Task The_truth_adds_up_to_every_report_row_archived_ads_included()
    {
        YandexDirectSandbox sandbox = fixture.Sandbox;
        List<Dictionary<string, string>> rows = await _client.AllRowsAsync("all");
        long[] campaignIds = [.. (await _client.GetAsync("campaigns", new { SelectionCriteria = new { }, FieldNames = new[] { "Id" } }))
            .GetProperty("Campaigns").EnumerateArray().Select(c => c.GetProperty("Id").GetInt64())];
        HashSet<string> archived = [.. (await _client.GetAsync("ads", new { SelectionCriteria = new { CampaignIds = campaignIds, States = new[] { "ARCHIVED" } }, FieldNames = new[] { "Id" } }))
            .GetProperty("Ads").EnumerateArray().Select(a => a.GetProperty("Id").GetInt64().ToString(CultureInfo.InvariantCulture))];
        YandexDirectGroundTruth truth = sandbox.Truth;

        Assert.Equal(truth.Total.Spend, rows.Sum(r => long.Parse(r["Cost"], CultureInfo.InvariantCulture)) / 1_000_000m);
        Assert.Equal(truth.Total.Clicks, rows.Sum(r => long.Parse(r["Clicks"], CultureInfo.InvariantCulture)));
        Assert.Equal(truth.Total.Impressions, rows.Sum(r => long.Parse(r["Impressions"], CultureInfo.InvariantCulture)));
        Assert.Contains(rows, r => archived.Contains(r["AdId"]));
        Assert.Contains("unknown", truth.ByCity.Keys);
        Assert.Contains("москва", truth.ByCity.Keys);
        Assert.Contains(truth.ByCampaign.Keys, k => k.UtmSource == "yandex" && long.TryParse(k.UtmCampaign, CultureInfo.InvariantCulture, out _));
        Assert.Contains(truth.ByCampaign.Keys, k => k.UtmSource == "" && k.UtmCampaign == "");
        Assert.Contains(truth.ByCampaign.Keys, k => k.UtmCampaign == "promo_autumn");
        Assert.Equal(truth.Total, truth.ByDayCity.Values.Aggregate(default(VkAds.AdFigures), (sum, f) => sum + f));
    }

    [Fact]
    public async Task The_same_seed_orders_and_anchor_give_the_same_account_and_another_seed_another()
    {
        await using var again = await YandexDirectSandbox.StartAsync(DirectClient.Options);
        await using var other = await YandexDirectSandbox.StartAsync(DirectClient.Options with { Seed = 43 });

        Assert.Equal(fixture.Sandbox.Truth.ToJson(), again.Truth.ToJson());
        Assert.Equal(fixture.Sandbox.AdCount, again.AdCount);
        Assert.NotEqual(fixture.Sandbox.Truth.ToJson(), other.Truth.ToJson());
        Assert.Equal(new DateOnly(2025, 11, 30), fixture.Sandbox.SpendDays.To);
    }

    private readonly record struct AdRow(long Cost, long Impressions, long Clicks);
}
