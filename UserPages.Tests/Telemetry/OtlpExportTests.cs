using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Telemetry;

/// <summary>
/// The built app as a real process, configured by the standard OpenTelemetry variables alone, exports its metrics
/// and traces over OTLP/HTTP (protobuf) to a collector on loopback.
/// </summary>
public sealed class OtlpExportTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>
{
    private const string ServiceName = "userpages-otlp-test";
    private const string Protobuf = "application/x-protobuf";

    [Fact]
    public async Task With_an_OTLP_endpoint_a_running_app_sends_its_own_and_ASP_NET_Cores_metrics_and_its_request_and_database_traces()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = new Dictionary<string, string>(database.Db.Settings)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        };
        await using var server = await AppServer.StartAsync(settings);
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync("otlp-user", "otlp-user@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode);

        var metrics = await receiver.WaitForAsync(
            "/v1/metrics", ["userpages.signups.created", "userpages.listing.duration", "http.server.request.duration", "kestrel."], () => server.Output);
        var traces = await receiver.WaitForAsync(
            "/v1/traces", ["UnitOfWork write", "UnitOfWork read", "http.request.method"], () => server.Output);

        Assert.All(metrics.Concat(traces), export =>
        {
            Assert.Equal(Protobuf, export.ContentType);
            Assert.NotEmpty(export.Body);
            Assert.True(export.Mentions(ServiceName), $"An export to {export.Path} does not name the service from OTEL_SERVICE_NAME.");
        });
    }
}
