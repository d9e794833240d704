using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserPages.Data;

namespace UserPages.Health;

/// <summary>
/// Healthy when the database answers, its schema is at the version this build expects, and it accepts a write (a
/// rolled-back probe: a read-only or full database still answers reads, but cannot take a signup).
/// </summary>
public sealed class DatabaseHealthCheck(Database database, DatabaseOutage outage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var unit = await database.BeginWriteAsync(cancellationToken);
            var version = await unit.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                database.Dialect.SchemaVersionSql, transaction: unit.Transaction, cancellationToken: cancellationToken)) ?? 0;
            if (database.Dialect.WriteProbeSql is { } probe)
            {
                await unit.Connection.ExecuteAsync(new CommandDefinition(probe, transaction: unit.Transaction, cancellationToken: cancellationToken));
            }

            outage.ReportAnswered();
            return version == SchemaMigrator.LatestVersion
                ? HealthCheckResult.Healthy($"Schema version {version}.")
                : HealthCheckResult.Unhealthy($"Schema version {version}, expected {SchemaMigrator.LatestVersion}: run migrate.");
        }
        catch (DbException exception)
        {
            outage.ReportFailure(exception);
            return HealthCheckResult.Unhealthy("The database does not answer.", exception);
        }
        catch (TimeoutException exception)
        {
            outage.ReportFailure(exception);
            return HealthCheckResult.Unhealthy("The database does not answer in time.", exception);
        }
    }
}
