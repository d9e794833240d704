using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Telemetry;

/// <summary>
/// Each number of the <c>UserPages</c> meter moves when, and only when, the thing it counts happens, driven through
/// the real HTTP pipeline and read the way <c>dotnet-counters</c> or the OpenTelemetry SDK read it (a MeterListener
/// scoped to this app instance's meter factory). Rate limiting is on (<see cref="RateLimitedApp"/>), so each test posts
/// from addresses of its own.
/// </summary>
public sealed class MetricsTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Signups_count_as_created_or_refused_by_reason_and_each_group_commit_records_its_size_and_duration()
    {
        using var created = Collect<long>("userpages.signups.created");
        using var refused = Collect<long>("userpages.signups.refused");
        using var groupSize = Collect<int>("userpages.signups.group_commit.size");
        using var commitDuration = Collect<double>("userpages.signups.group_commit.duration");
        var name = SignupClient.UniqueName("metric");

        Assert.Equal(HttpStatusCode.Redirect, (await ClientFrom("192.0.2.1").SignUpAsync(name, $"{name}@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ClientFrom("192.0.2.2").SignUpAsync(name, "not-an-email")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ClientFrom("192.0.2.3").SignUpAsync(name, $"other-{name}@example.com")).StatusCode);
        var limited = ClientFrom("192.0.2.4");
        for (var i = 0; i < RateLimitedApp.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await limited.SignUpAsync("", "")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await limited.SignUpAsync("", "")).StatusCode);

        Assert.Equal([1], created.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(
            ["invalid", "taken", .. Enumerable.Repeat("invalid", RateLimitedApp.Limit), "rate_limited"],
            refused.GetMeasurementSnapshot().Select(m => Assert.IsType<string>(m.Tags["reason"])));
        Assert.All(refused.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));

        // Two signups reached the writer (the stored one and the taken one); posted one after the other, they were
        // committed in two groups of one, and an invalid or limited post never reaches it.
        Assert.Equal([1, 1], groupSize.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(2, commitDuration.GetMeasurementSnapshot().Count);
        Assert.All(commitDuration.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, double.Epsilon, 60));
    }

    [Fact]
    public async Task The_listing_and_a_search_each_record_their_duration_and_a_refused_search_records_none()
    {
        using var duration = Collect<double>("userpages.listing.duration");
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users?q=someone", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/users?q=a", UriKind.Relative))).StatusCode);

        var measurements = duration.GetMeasurementSnapshot();
        Assert.Equal(["listing", "search"], measurements.Select(m => Assert.IsType<string>(m.Tags["userpages.listing.kind"])));
        Assert.All(measurements, m => Assert.InRange(m.Value, double.Epsilon, 60));
    }

    [Fact]
    public async Task A_database_incident_is_counted_once_and_shows_as_open_until_the_database_answers_again()
    {
        using var incidents = Collect<long>("userpages.database.incidents");
        using var open = Collect<int>("userpages.database.incident.open");
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(0, Observe(open));

        var directory = Path.GetDirectoryName(app.Db.SqliteFile)!;
        Directory.Move(directory, directory + "-away");
        try
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            }

            Assert.Equal(1, Observe(open));
        }
        finally
        {
            Directory.Move(directory + "-away", directory);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(0, Observe(open));
        Assert.Equal([1], incidents.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public void Without_an_OTLP_endpoint_the_OpenTelemetry_SDK_is_not_even_registered()
    {
        Assert.Null(app.Factory.Services.GetService<MeterProvider>());
        Assert.Null(app.Factory.Services.GetService<TracerProvider>());
    }

    private static int Observe(MetricCollector<int> gauge)
    {
        gauge.RecordObservableInstruments();
        return gauge.LastMeasurement!.Value;
    }

    // Scoped to this app instance's meter factory: other apps running in the same test process count apart.
    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", instrument);

    private HttpClient ClientFrom(string address) => app.CreateClient().From(address);
}
