namespace UserPages.Health;

/// <summary>/healthz and the database incident tracker behind it and behind the 503 page.</summary>
public static class HealthRegistration
{
    public static IServiceCollection AddDatabaseHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseOutage>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        // The health check service logs every unhealthy poll as an error; a load balancer polling a down database
        // would fill the log. DatabaseOutage logs the incident once instead.
        services.AddLogging(logging => logging.AddFilter(
            "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical));
        return services;
    }
}
