using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using UserPages.Telemetry;

namespace UserPages.Health;

/// <summary>The health probes and the database incident tracker behind them and behind the 503 page.</summary>
public static class HealthRegistration
{
    /// <summary>The checks <c>/healthz/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddDatabaseHealth(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var outage = ActivatorUtilities.CreateInstance<DatabaseOutage>(provider);
            provider.GetRequiredService<UserPagesMetrics>().ObserveOpenIncident(() => outage.IsActive);
            return outage;
        });

        // The database check is unhealthy while an incident is open until its probe write commits, which closes the
        // incident: "the database answers, the schema is current, no incident is open" is this one check.
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

        // The health check service logs every unhealthy poll as an error; a load balancer polling a down database
        // would fill the log. DatabaseOutage logs the incident once instead.
        services.AddLogging(logging => logging.AddFilter(
            "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical));
        return services;
    }

    /// <summary>
    /// <c>/healthz/live</c>: the process answers, nothing else is checked, so a database outage never gets an
    /// orchestrator to restart healthy instances. <c>/healthz/ready</c>: this instance can serve, for load balancers
    /// and readiness probes. <c>/healthz</c>: the same checks as ready, kept for the operators who poll it.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz");
        endpoints.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
