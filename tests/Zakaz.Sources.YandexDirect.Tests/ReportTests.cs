using static Zakaz.Sources.YandexDirect.Tests.Direct;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>The Reports service over real HTTP: the request as documented, the TSV read by column names, offline polling, 502 splits.</summary>
public sealed class ReportTests
{
    // Columns deliberately not in the requested order.
    private static readonly string[] Columns = ["Cost", "AdId", "Clicks", "Date", "AdGroupName", "CampaignId", "Impressions", "AdGroupId", "CampaignName"];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Reads_rows_by_column_name_whether_or_not_the_report_name_and_total_lines_come_back(bool reportNameLine, bool totalLine)
    {
        await using var server = await ScriptedDirect.StartAsync();
        string[][] lines =
        [
            .. reportNameLine ? new[] { new[] { "zakaz_run-1 (2025-03-01 - 2025-03-02)" } } : [],
            Columns,
            ["1234567890000", "901", "12", "2025-03-01", "Moscow", "501", "340", "7001", "Spring tour"],
            ["10000", "902", "--", "2025-03-02", "", "502", "--", "", "Кампания"],
            .. totalLine ? new[] { new[] { "Total rows: 2" } } : [],
        ];
        server.Script("reports", Answer.Tsv(Tsv(lines)));
        using var client = Client(server);

        var part = Assert.Single(await ReadAsync(client, Day("2025-03-01"), Day("2025-03-02")));

        Assert.Equal((Day("2025-03-01"), Day("2025-03-02")), (part.From, part.To));
        Assert.Equal(
            [
                new DirectAdDay(Day("2025-03-01"), 501, "Spring tour", 7001, "Moscow", 901, 340, 12, 1234567.89m),
                new DirectAdDay(Day("2025-03-02"), 502, "Кампания", 0, "", 902, 0, 0, 0.01m),
            ],
            part.Rows);
        Assert.Equal("1234567.89", part.Rows[0].Cost.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(2, client.MissingValues);
    }

    [Fact]
    public async Task Reads_a_report_with_CRLF_line_ends_and_a_Russian_row_count_line()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("reports", Answer.Tsv(Tsv(Columns, ["5000000", "901", "2", "2025-03-01", "g", "501", "30", "7001", "c"]).Replace("\n", "\r\n", StringComparison.Ordinal) +
            "Всего строк: 1\r\n"));
        using var client = Client(server);

        var row = Assert.Single(Assert.Single(await ReadAsync(client, Day("2025-03-01"), Day("2025-03-01"))).Rows);

        Assert.Equal(new DirectAdDay(Day("2025-03-01"), 501, "c", 7001, "g", 901, 30, 2, 5m), row);
    }

    [Fact]
    public async Task Sends_the_documented_report_request()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("reports", Answer.Tsv(Tsv(Columns)));
        using var client = Client(server);

        var part = Assert.Single(await ReadAsync(client, Day("2025-03-01"), Day("2025-03-07")));

        Assert.Empty(part.Rows);
        var request = Assert.Single(server.Requests);
        Assert.Equal("reports", request.Service);
        Assert.Equal($"Bearer {Token}", request.Header("Authorization"));
        Assert.Equal("ru", request.Header("Accept-Language"));
        Assert.Equal("auto", request.Header("processingMode"));
        Assert.Equal("true", request.Header("skipReportHeader"));
        Assert.Equal("true", request.Header("skipReportSummary"));
        Assert.Null(request.Header("skipColumnHeader"));
        Assert.Null(request.Header("returnMoneyInMicros"));
        Assert.Null(request.Header("Client-Login"));
        var p = request.Params;
        Assert.Equal("2025-03-01…2025-03-07", request.Period);
        Assert.Equal(["Date", "CampaignId", "CampaignName", "AdGroupId", "AdGroupName", "AdId", "Impressions", "Clicks", "Cost"],
            p["FieldNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("CUSTOM_REPORT", (string)p["ReportType"]!);
        Assert.Equal("CUSTOM_DATE", (string)p["DateRangeType"]!);
        Assert.Equal("TSV", (string)p["Format"]!);
        Assert.Equal("YES", (string)p["IncludeVAT"]!);
        Assert.Contains("run-1", request.ReportName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_without_the_field_name_line_fails_saying_so()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("reports", Answer.Tsv(Tsv(["1000000", "901", "1", "2025-03-01", "g", "501", "10", "7001", "c"])));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<YandexDirectException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Contains("no field-name line", error.Message, StringComparison.Ordinal);
        Assert.Contains("POST reports 2025-03-01…2025-03-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polls_an_offline_report_with_the_identical_request_waiting_each_answers_retryIn()
    {
        var clock = new AdvancingClock();
        await using var server = await ScriptedDirect.StartAsync(clock);
        server.Script("reports", Answer.Offline(201, 2), Answer.Offline(202, 5), Answer.Offline(202, 1),
            Answer.Tsv(Tsv(Columns, ["2000000", "901", "3", "2025-03-01", "g", "501", "40", "7001", "c"])));
        var log = new List<string>();
        using var client = Client(server, log, clock);

        var part = Assert.Single(await ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Equal(2m, Assert.Single(part.Rows).Cost);
        var requests = server.Requests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        Assert.All(requests, r => Assert.Equal("auto", r.Header("processingMode")));
        // Each poll came exactly the answer's retryIn after the one before: read every time, not once.
        Assert.Equal([2, 5, 1], requests.Zip(requests.Skip(1), (a, b) => (b.At - a.At).TotalSeconds));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)], clock.Waits);
        Assert.Equal(4, client.Requests);
        Assert.Contains(log, line => line.Contains("queued offline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_offline_report_that_never_finishes_fails_at_the_wait_limit_naming_it()
    {
        var clock = new AdvancingClock();
        await using var server = await ScriptedDirect.StartAsync(clock);
        server.Respond("reports", _ => Answer.Offline(202, 100));
        using var client = Client(server, time: clock, adjust: o => WaitingAtMost(o, TimeSpan.FromMinutes(4)));

        var error = await Assert.ThrowsAsync<YandexDirectException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-03")));

        var name = server.Requests[0].ReportName;
        Assert.Contains($"report '{name}' (2025-03-01…2025-03-03) was still being built after 4 min", error.Message, StringComparison.Ordinal);
        // 100 + 100 + the 40 s left of the limit, then one last poll.
        Assert.Equal([100, 100, 40], clock.Waits.Select(w => w.TotalSeconds));
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_retryIn_of_zero_still_waits_a_second_so_a_report_that_never_finishes_reaches_the_wait_limit()
    {
        var clock = new AdvancingClock();
        await using var server = await ScriptedDirect.StartAsync(clock);
        server.Respond("reports", _ => Answer.Offline(202, 0));
        using var client = Client(server, time: clock, adjust: o => WaitingAtMost(o, TimeSpan.FromSeconds(5)));

        await Assert.ThrowsAsync<YandexDirectException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Equal([1, 1, 1, 1, 1], clock.Waits.Select(w => w.TotalSeconds));
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task The_report_name_is_the_same_within_a_run_and_new_for_a_new_run_or_other_parameters()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("reports", _ => Answer.Tsv(Tsv(Columns)));
        using var client = Client(server);
        using var withoutVat = Client(server, adjust: o => new YandexDirectClientOptions { BaseUrl = o.BaseUrl, Token = o.Token, IncludeVat = false });

        await ReadAsync(client, Day("2025-03-01"), Day("2025-03-07"), "run-1");
        await ReadAsync(client, Day("2025-03-01"), Day("2025-03-07"), "run-1");
        await ReadAsync(client, Day("2025-03-01"), Day("2025-03-07"), "run-2");
        await ReadAsync(withoutVat, Day("2025-03-01"), Day("2025-03-07"), "run-2");

        var names = server.Requests.Select(r => r.ReportName).ToArray();
        Assert.Equal(names[0], names[1]);
        Assert.Equal(server.Requests[0].Body, server.Requests[1].Body);
        Assert.Equal(3, names.Distinct().Count());
        Assert.Equal("NO", (string)server.Requests[3].Params["IncludeVAT"]!);
    }

    [Fact]
    public async Task A_502_halves_the_period_and_later_parts_follow_in_date_order()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("reports", r =>
        {
            var from = Day((string)r.Params["SelectionCriteria"]!["DateFrom"]!);
            var to = Day((string)r.Params["SelectionCriteria"]!["DateTo"]!);
            return to.DayNumber - from.DayNumber + 1 > 16
                ? new Answer(502, "", "text/plain")
                : Answer.Tsv(Tsv(Columns, ["1000000", "901", "1", $"{from:yyyy-MM-dd}", "g", "501", "10", "7001", "c"]));
        });
        using var client = Client(server);

        var parts = await ReadAsync(client, Day("2025-01-01"), Day("2025-02-10"));

        Assert.Equal(["2025-01-01…2025-01-16", "2025-01-17…2025-01-31", "2025-02-01…2025-02-10"], parts.Select(p => $"{p.From:yyyy-MM-dd}…{p.To:yyyy-MM-dd}"));
        Assert.All(parts, p => Assert.Equal(p.From, Assert.Single(p.Rows).Date));
        // The 502 was not retried as it stood: split at once, and the next 31 days were asked for in halves too.
        Assert.Equal(["2025-01-01…2025-01-31", "2025-01-01…2025-01-16", "2025-01-17…2025-01-31", "2025-02-01…2025-02-10"],
            server.Requests.Select(r => r.Period));
    }

    [Fact]
    public async Task A_day_that_still_answers_502_fails_naming_the_day()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("reports", _ => new Answer(502, "", "text/plain"));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<YandexDirectException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-02")));

        Assert.Equal("Yandex Direct report for 2025-03-01: building took too long (HTTP 502) even for this one day; try again later", error.Message);
        Assert.Equal(["2025-03-01…2025-03-02", "2025-03-01…2025-03-01"], server.Requests.Select(r => r.Period));
    }

    [Fact]
    public async Task A_full_queue_an_unavailable_service_and_a_500_are_retried_with_the_same_request()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Script("reports",
            Answer.Error(400, 9000, "Превышено ограничение на количество отчетов в очереди"),
            Answer.Error(200, 52, "Сервер авторизации временно недоступен"),
            Answer.Error(500, 1000, "Сервис временно недоступен"),
            Answer.Tsv(Tsv(Columns)));
        var log = new List<string>();
        using var client = Client(server, log);

        Assert.Single(await ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Equal(4, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => r.Body).Distinct());
        Assert.Contains(log, line => line.Contains("error 9000", StringComparison.Ordinal) && line.Contains("attempt 2 of 6", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("error 52", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_queue_that_stays_full_fails_after_every_attempt_with_the_code()
    {
        await using var server = await ScriptedDirect.StartAsync();
        server.Respond("reports", _ => Answer.Error(400, 9000, "Превышено ограничение на количество отчетов в очереди"));
        using var client = Client(server);

        var error = await Assert.ThrowsAsync<YandexDirectException>(() => ReadAsync(client, Day("2025-03-01"), Day("2025-03-01")));

        Assert.Equal(9000, error.ErrorCode);
        Assert.Equal("8391647215", error.RequestId);
        Assert.Contains("still refused after every retry", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, server.Requests.Count);
    }

    private static YandexDirectClientOptions WaitingAtMost(YandexDirectClientOptions options, TimeSpan limit) => new()
    {
        BaseUrl = options.BaseUrl,
        Token = options.Token,
        MaxOfflineWait = limit,
        RequestTimeout = options.RequestTimeout,
        TotalTimeout = options.TotalTimeout,
    };
}
