using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Testing;

/// <summary>
/// Keeps every log line at every level, formatted, with its structured values and exception, so that a test can search
/// them (the conformance suites' secret canaries do: no secret may appear in any line).
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    /// <summary>Every line logged so far, oldest first: level, category, message, structured values and exception.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Creates a logger that adds its lines to <see cref="Lines"/>.</summary>
    /// <param name="categoryName">The logger's category.</param>
    /// <returns>The logger.</returns>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>Nothing to release; the lines stay readable.</summary>
    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(p => p.Key + "=" + p.Value))
                : string.Empty;
            owner.Lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} {values} {exception}");
        }
    }
}
