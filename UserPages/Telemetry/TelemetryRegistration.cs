using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace UserPages.Telemetry;

/// <summary>
/// Metrics and traces over OTLP, switched on by the standard OpenTelemetry variables alone
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, …, read by the SDK itself). Without an endpoint the SDK is not registered at
/// all: the meters and activity sources stay unobserved and cost next to nothing.
/// </summary>
public static class TelemetryRegistration
{
    private const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string MetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    private const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

    // Client libraries' own sources and meters, for the server engines.
    private const string MySqlConnector = "MySqlConnector";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // JSON console lines (Logging:Console:FormatterName=json) carry their request's TraceId and SpanId, which
        // live in the log scopes, unless IncludeScopes is turned off explicitly.
        services.Configure<JsonConsoleFormatterOptions>(json =>
            json.IncludeScopes = configuration.GetValue("Logging:Console:FormatterOptions:IncludeScopes", defaultValue: true));

        var exportMetrics = IsSet(configuration, Endpoint) || IsSet(configuration, MetricsEndpoint);
        var exportTraces = IsSet(configuration, Endpoint) || IsSet(configuration, TracesEndpoint);
        if (!exportMetrics && !exportTraces)
        {
            return services;
        }

        // "UserPages" unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise: the detector runs last, so it wins.
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("UserPages").AddEnvironmentVariableDetector());
        if (exportMetrics)
        {
            // AddAspNetCoreInstrumentation brings ASP.NET Core's and Kestrel's own meters (request duration, active
            // connections, rate limiting, …).
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(UserPagesMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(MySqlConnector)
                .AddOtlpExporter());
        }

        if (exportTraces)
        {
            // Probes come every few seconds from every load balancer and say nothing new; the 503s they would show
            // are in the metrics and the incident log.
            telemetry.WithTracing(tracing => tracing
                .AddSource(UserPagesTracing.SourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                .AddNpgsql()
                .AddSource(MySqlConnector)
                .AddOtlpExporter());
        }

        return services;
    }

    private static bool IsSet(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
