namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz digest show|send</c> through the real CLI on the embedded store.</summary>
public class DigestCommandTests
{
    [Fact]
    public async Task Show_prints_the_digest_of_the_date_with_the_dashboard_link()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        await ZakazProcess.RunAsync("--data", data, "query", """
            INSERT INTO zakaz.fact_qtickets_sales_daily (sales_date, event_id, city, orders, tickets_sold, revenue, refunded_amount, _ver, _loaded_at)
            VALUES ('2026-12-05', 1, 'томск', 3, 4, 12345.60, 0, 1, now()), ('2026-12-04', 1, 'томск', 2, 2, 10000, 0, 1, now())
            """);

        var show = await ZakazProcess.RunAsync(["--data", data, "digest", "show", "--date", "2026-12-05"],
            new Dictionary<string, string?> { ["ZAKAZ_DASHBOARD_PUBLIC_URL"] = "https://zakaz.example.ru" });

        Assert.Equal((0, ""), (show.ExitCode, show.Error));
        var lines = show.Output.Split('\n');
        Assert.Equal(["Zakaz: итоги 05.12.2026", "", "Итоги за 05.12.2026 (сб), время московское"], lines[..3]);
        Assert.Contains("Выручка: 12\u00A0346\u00A0₽ (к 04.12 ▲ 23,5\u00A0%, к 28.11 было 0)", lines);
        Assert.Equal(["Дашборд: https://zakaz.example.ru/", ""], lines[^2..]);
    }

    [Fact]
    public async Task Send_without_a_channel_exits_1_and_names_the_settings()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var send = await ZakazProcess.RunAsync("--data", data, "digest", "send");

        Assert.Equal(1, send.ExitCode);
        Assert.StartsWith("zakaz: no channel to send the digest to: set ZAKAZ_ALERTS_TELEGRAM_BOT_TOKEN", Assert.Single(send.ErrorLines), StringComparison.Ordinal);
    }
}
