using Microsoft.Extensions.Logging.Testing;

namespace UserPages.Tests.Infrastructure;

/// <summary>Reading what the in-process app logged (<see cref="AppFixture{TEngine}.Logs"/>).</summary>
public static class LogRecords
{
    /// <summary>Whether the entry (its category, message, or exception with its stack) mentions the text, in any case.</summary>
    public static bool Mentions(this FakeLogRecord record, string text) =>
        record.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || record.Exception?.ToString().Contains(text, StringComparison.OrdinalIgnoreCase) == true
        || record.Category?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
}
