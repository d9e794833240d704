using UserPages.Schema;

namespace UserPages.Hosting;

/// <summary>
/// The schema is migrated at deploy time, never per request. At start-up Development applies pending migrations so
/// <c>dotnet run</c> just works; every other environment refuses to serve an outdated schema.
/// </summary>
public static partial class StartupSchemaCheck
{
    public static async Task<bool> EnsureCurrentAsync(WebApplication app)
    {
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupSchemaCheck));
        if (app.Environment.IsDevelopment())
        {
            foreach (var migration in (await migrator.UpAsync(app.Lifetime.ApplicationStopping)).Migrations)
            {
                LogApplied(logger, migration.Version, migration.Description);
            }

            return true;
        }

        var status = await migrator.StatusAsync();
        if (status.Pending.Count == 0)
        {
            return true;
        }

        LogPending(logger, status.CurrentVersion, status.Pending.Count);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} {Description}")]
    private static partial void LogApplied(ILogger logger, long version, string description);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database schema is at version {Version} with {Count} pending migration(s). Run `UserPages migrate` (or `dotnet UserPages.dll migrate`) before starting the app.")]
    private static partial void LogPending(ILogger logger, long version, int count);
}
