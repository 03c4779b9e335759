using Microsoft.Extensions.Logging;

namespace Zakaz.Web;

/// <summary>ASP.NET Core's warnings and errors (and the webhook's notes) as single progress lines.</summary>
internal sealed class LineLoggerProvider(Action<string> write) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(write, categoryName);

    public void Dispose()
    {
    }

    private sealed class LineLogger(Action<string> write, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // Requests are not logged one by one; the webhook logs its outcomes at Information.
        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Warning || (logLevel == LogLevel.Information && category.StartsWith("Zakaz.", StringComparison.Ordinal));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                write($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.Message})")}");
            }
        }
    }
}
