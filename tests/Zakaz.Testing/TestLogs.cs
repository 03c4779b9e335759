using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Zakaz.Testing;

/// <summary>Loggers whose messages land in a list, one formatted message a line, as a test reads them.</summary>
public static class TestLogs
{
    public static ILoggerFactory Into(List<string> lines, Action<string>? onLine = null) =>
        new LoggerFactory([new FakeLoggerProvider(new FakeLogCollector(Options.Create(new FakeLogCollectorOptions
        {
            OutputFormatter = record => record.Message,
            OutputSink = line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
                onLine?.Invoke(line);
            },
        })))]);
}
