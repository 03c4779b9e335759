using Microsoft.Extensions.Logging;

namespace Zakaz.Cli;

/// <summary>The libraries' warnings as the CLI's one-line warnings (<see cref="CliContext.Warn"/>).</summary>
internal sealed class WarningLogger(CliContext context) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            context.Warn(formatter(state, exception));
        }
    }
}
