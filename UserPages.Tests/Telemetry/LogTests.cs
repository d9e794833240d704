using System.Net;
using System.Text.Json;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Telemetry;

/// <summary>
/// Console logs of a real app process as shipped: JSON by configuration alone, each line carrying its request's
/// trace, and no line naming a person, whatever they typed.
/// </summary>
public sealed class LogTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>
{
    private const string JsonFormatter = "json";

    [Fact]
    public async Task With_the_json_formatter_every_line_is_json_and_a_request_line_carries_the_requests_trace_id()
    {
        var settings = new Dictionary<string, string>(database.Db.Settings)
        {
            ["Logging:Console:FormatterName"] = JsonFormatter,
            // So that a request writes a line at all: the shipped levels log none for a request that goes well, and
            // hosting's own request lines are never written (they carry the query, where mail links carry tokens).
            ["Logging:LogLevel:Microsoft.AspNetCore.Routing"] = "Debug",
        };
        await using var server = await AppServer.StartAsync(settings);
        using var client = server.CreateClient();
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users");
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(BitConverter.GetBytes(42L))}-01");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);

        var line = await WaitForLineAsync(server, traceId);
        var scopes = JsonDocument.Parse(line).RootElement.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, scope => scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId);
        Assert.Contains(scopes, scope => scope.TryGetProperty("SpanId", out var id) && id.GetString() is { Length: 16 });
        Assert.All(Lines(server), entry => JsonDocument.Parse(entry).Dispose());
    }

    [Fact]
    public async Task No_line_names_an_email_address_or_a_username_through_signups_refusals_searches_and_a_database_incident()
    {
        var settings = new Dictionary<string, string>(database.Db.Settings)
        {
            ["Logging:Console:FormatterName"] = JsonFormatter,
            // The app's own categories at their most verbose; the framework's as shipped.
            ["Logging:LogLevel:UserPages"] = "Trace",
        };
        await using var server = await AppServer.StartAsync(settings);
        using var client = server.CreateClient();
        var form = await client.GetSignupFormAsync();
        var people = new[] { "Pii-Alice", "pii-bob", "pii-carol", "pii-dave" };
        var emails = people.Select(name => $"{name.ToLowerInvariant()}.secret@example.com").ToArray();

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, people[0], emails[0])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostSignupAsync(form, people[1], "pii-bob.secret@@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostSignupAsync(form, people[0], emails[2])).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostSignupAsync(form, people[2], emails[0])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri($"/users?q={emails[0]}", UriKind.Relative))).StatusCode);

        // A database that fails mid-signup is the one request path that logs at the shipped levels.
        await server.LimitFileSizeAsync(0);
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostSignupAsync(form, people[3], emails[3])).StatusCode);
        }
        finally
        {
            await server.LimitFileSizeAsync(null);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        await WaitForLineAsync(server, "The database answers again");

        var lines = Lines(server);
        Assert.Contains(lines, line => line.Contains("The database is failing", StringComparison.Ordinal));
        foreach (var text in people.Concat(emails).Append("secret@"))
        {
            Assert.DoesNotContain(lines, line => line.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static List<string> Lines(AppServer server) =>
        [.. server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static async Task<string> WaitForLineAsync(AppServer server, string text)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Lines(server).FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } found)
            {
                return found;
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"No log line with '{text}' within 30 s. The app printed:\n{server.Output}");
            }
        }
    }
}
