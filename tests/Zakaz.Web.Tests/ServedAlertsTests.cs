using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.Telegram;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>
/// <c>zakaz serve</c> as configured by its settings, against the Qtickets and Telegram stand-ins: a scheduled sync that
/// fails twice sends one alert by Telegram, its success sends one "resolved", and a mail server that is down only
/// leaves failed deliveries on record.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class ServedAlertsTests(ZakazSchemaFixture schema)
{
    [Fact]
    public async Task A_sync_failing_twice_alerts_by_telegram_once_and_resolves_once_while_the_mail_server_is_down()
    {
        await schema.ResetDataAsync();
        await using var qtickets = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = 7, Orders = 200 });
        await using var telegram = await TelegramSandbox.StartAsync();
        qtickets.Faults.FailRandomly(1, QticketsFaultKind.HtmlNotFound);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qtickets:Token"] = qtickets.Token,
            ["Qtickets:BaseUrl"] = qtickets.BaseUrl.ToString(),
            ["Qtickets:BuyerKeySecret"] = "a test buyer key secret of enough bytes",
            ["Channels:TelegramBotToken"] = telegram.Token,
            ["Channels:TelegramChatId"] = telegram.Chats[0],
            ["Channels:TelegramApiUrl"] = telegram.ApiUrl.ToString(),
            ["Channels:SmtpHost"] = "127.0.0.1",
            ["Channels:SmtpPort"] = ClosedPort().ToString(CultureInfo.InvariantCulture),
            ["Channels:SmtpSecurity"] = "none",
            ["Channels:SmtpFrom"] = "zakaz@example.ru",
            ["Channels:SmtpTo"] = "promoter@example.ru",
            ["Dashboard:PublicUrl"] = "https://zakaz.example.ru",
        }).Build();
        await using var app = await ZakazWebApp.StartAsync(schema.Store, new DashboardOptions
        {
            Port = 0,
            Open = true,
            Services = services => services.AddServeJobs(settings, new ProgressLines<SyncProgress>(TextWriter.Null)),
        });

        // The order sync runs once at start and fails; the second failure is the one that alerts.
        await WaitForAsync($"SELECT count() FROM zakaz.meta_job_runs FINAL WHERE job = '{QticketsSync.Job}' AND status = 'error'", "1");
        Assert.Empty(telegram.Messages);
        Assert.Equal(RunOutcome.Failed, await app.Scheduler.RunNowAsync(QticketsSync.Job));
        var alert = Assert.Single(telegram.Messages);
        Assert.Equal(("HTML", telegram.Chats[0]), (alert.ParseMode, alert.Chat));
        Assert.Contains("Задача qtickets.orders не выполнена 2 раза подряд", alert.Text, StringComparison.Ordinal);
        Assert.Contains("https://zakaz.example.ru/health", alert.Text, StringComparison.Ordinal);

        qtickets.Faults.Clear();
        Assert.Equal(RunOutcome.Ran, await app.Scheduler.RunNowAsync(QticketsSync.Job));
        Assert.Equal(2, telegram.Messages.Count);
        Assert.Contains("Решено: Задача qtickets.orders не выполнена 2 раза подряд", telegram.Messages[1].Text, StringComparison.Ordinal);

        var email = await schema.Store.QueryAsync("SELECT notice, error FROM zakaz.meta_alerts WHERE channel = 'email' AND event = 'failed'");
        Assert.Equal("firing", Assert.Single(email.Rows)[0]);
        Assert.Contains("127.0.0.1", email.Get<string>(0, "error"), StringComparison.Ordinal);
        var episode = await schema.Store.QueryAsync("SELECT status, notifications, failed_deliveries FROM bi.v_ops_alerts");
        Assert.Equal(("resolved", 2UL, 1UL), (episode.Get<string>(0, "status"), episode.Get<ulong>(0, "notifications"), episode.Get<ulong>(0, "failed_deliveries")));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForAsync(string sql, string expected)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while ((await schema.Store.QueryAsync(sql)).Get<ulong>(0, 0).ToString(CultureInfo.InvariantCulture) != expected)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(1), $"timed out waiting for {sql}");
            await Task.Delay(50);
        }
    }
}
