using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Health;

/// <summary>
/// Healthy when the database answers and its schema is at the version this build expects. While a database incident
/// is open (a request failed on it), the check also commits a small write: a read-only or full database still answers
/// reads but cannot take a signup, and only a write that reaches the disk proves it can again.
/// </summary>
public sealed class DatabaseHealthCheck(Database database, DatabaseOutage outage) : IHealthCheck
{
    /// <summary>
    /// SQLite's write probe: the count moves and moves back, so the commit writes a page to the WAL (it fails on a
    /// read-only or full disk) yet leaves every row as it was and the schema untouched; other processes on the same
    /// file see no change at all. On the servers, committing a write unit is proof enough.
    /// </summary>
    public const string SqliteWriteProbe = """
        UPDATE user_count SET total = total + 1 WHERE id = 1;
        UPDATE user_count SET total = total - 1 WHERE id = 1;
        """;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var probe = outage.IsActive && database.Provider == DatabaseProvider.Sqlite ? SqliteWriteProbe : null;
            await using var unit = probe is null
                ? await database.BeginReadAsync(cancellationToken)
                : await database.BeginWriteAsync(cancellationToken);
            var version = await SchemaVersion.ReadAsync(database.Provider, unit, cancellationToken);
            // A newer schema is a release's expand migration, which this build tolerates by contract: an instance of
            // the previous release stays ready while the new one rolls out beside it.
            var current = version >= SchemaMigrator.LatestVersion;
            if (probe is not null)
            {
                // Behind, the probe's table may not exist yet: the incident stays open until a write proves itself.
                if (!current)
                {
                    return Behind(version);
                }

                await unit.Connection.ExecuteAsync(new CommandDefinition(probe, transaction: unit.Transaction, cancellationToken: cancellationToken));
                await unit.CommitAsync(cancellationToken);
            }

            outage.ReportAnswered();
            return current ? HealthCheckResult.Healthy($"Schema version {version}.") : Behind(version);
        }
        catch (Exception exception) when (DatabaseErrors.Classify(exception) == DatabaseErrorKind.Failure)
        {
            outage.ReportFailure(exception);
            return HealthCheckResult.Unhealthy("The database does not answer.", exception);
        }
    }

    private static HealthCheckResult Behind(long version) =>
        HealthCheckResult.Unhealthy($"Schema version {version}, expected {SchemaMigrator.LatestVersion}: run migrate.");
}
