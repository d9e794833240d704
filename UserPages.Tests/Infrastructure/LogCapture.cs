using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UserPages.Tests.Infrastructure;

/// <summary>One log entry as the app wrote it, message already formatted.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
}

/// <summary>Keeps every log entry the in-process app writes, at the levels its configuration enables.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}
