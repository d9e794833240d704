using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserPages.Data;

namespace UserPages.Health;

/// <summary>Healthy when the database answers and its schema is at the version this build expects.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var version = await connection.ExecuteScalarAsync<long?>(
                new CommandDefinition(database.Dialect.SchemaVersionSql, cancellationToken: cancellationToken)) ?? 0;
            return version == SchemaMigrator.LatestVersion
                ? HealthCheckResult.Healthy($"Schema version {version}.")
                : HealthCheckResult.Unhealthy($"Schema version {version}, expected {SchemaMigrator.LatestVersion}: run migrate.");
        }
        catch (DbException exception)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", exception);
        }
    }
}
