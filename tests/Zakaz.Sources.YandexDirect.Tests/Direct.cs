using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>The tests' client over a <see cref="ScriptedDirect"/>: millisecond backoffs, everything it logs kept.</summary>
internal static class Direct
{
    public const string Token = "y0_AgAAAAsecret-direct-token-0123456789";

    public static YandexDirectClient Client(ScriptedDirect server, List<string>? log = null, TimeProvider? time = null, string? clientLogin = null,
        Func<YandexDirectClientOptions, YandexDirectClientOptions>? adjust = null, Uri? baseUrl = null)
    {
        var options = new YandexDirectClientOptions
        {
            BaseUrl = baseUrl ?? server.BaseUrl,
            Token = Token,
            ClientLogin = clientLogin,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(5),
            // Longer than any wait the advancing clock jumps over, so a fake clock never fires them.
            RequestTimeout = AdvancingClock.Horizon * 2,
            TotalTimeout = AdvancingClock.Horizon * 4,
        };
        return YandexDirectSource.Create(adjust?.Invoke(options) ?? options, Logs(log ?? []), time);
    }

    public static ILoggerFactory Logs(List<string> lines) =>
        new LoggerFactory([new FakeLoggerProvider(new FakeLogCollector(Options.Create(new FakeLogCollectorOptions
        {
            OutputFormatter = record => record.Message,
            OutputSink = line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            },
        })))]);

    public static async Task<List<DirectAdDays>> ReadAsync(IYandexDirectSource client, DateOnly from, DateOnly to, string runId = "run-1")
    {
        var parts = new List<DirectAdDays>();
        await foreach (var part in client.ReadAdDaysAsync(from, to, runId))
        {
            parts.Add(part);
        }
        return parts;
    }

    public static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A report body: the given lines, tab-separated cells, each line ending in '\n' as Direct writes it.</summary>
    public static string Tsv(params string[][] lines) => string.Concat(lines.Select(cells => string.Join('\t', cells) + "\n"));
}
