using System.Diagnostics;

namespace UserPages.Telemetry;

/// <summary>
/// The app's own spans, on the <c>UserPages</c> activity source: one per unit of work, so a trace shows how long each
/// request held a connection and a transaction, on every engine. Npgsql and MySqlConnector add a span per command
/// beneath it on the server engines; SQLite has none of its own. Without a listener nothing is created.
/// </summary>
public static class UserPagesTracing
{
    public const string SourceName = "UserPages";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of a unit of work, or returns null when nobody listens.</summary>
    /// <param name="dbSystem">The engine as OpenTelemetry names it: sqlite, postgresql, mysql.</param>
    public static Activity? StartUnitOfWork(string dbSystem, bool forWrite) =>
        Source.StartActivity(forWrite ? "UnitOfWork write" : "UnitOfWork read")?.SetTag("db.system.name", dbSystem);
}
