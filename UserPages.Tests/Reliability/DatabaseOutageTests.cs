using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// The database fails under a running app (a real process): its directory moved away like a volume that came
/// unmounted, or the disk full (a file size limit of 0 on the process). Every request that needs what is gone gets the
/// friendly 503 with Retry-After, /healthz turns unhealthy, the incident is logged once rather than per request, and
/// once the fault is gone the same process serves again without a restart.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>
{
    public const int RequestsDuringOutage = 20;
    private const string Started = "The database is failing";
    private const string Ended = "The database answers again";

    [Fact]
    public async Task A_vanished_database_is_a_friendly_503_logged_once_per_incident_and_recovers_without_a_restart()
    {
        var directory = Path.GetDirectoryName(database.Db.SqliteFile)!;
        await using var server = await AppServer.StartAsync(database.Db.Settings);
        using var client = server.CreateClient();
        var form = await client.GetSignupFormAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, "vanish-before", "vanish-before@example.com")).StatusCode);

        for (var incident = 1; incident <= 2; incident++)
        {
            Directory.Move(directory, directory + "-away");
            try
            {
                for (var i = 0; i < RequestsDuringOutage; i++)
                {
                    var signup = await HtmlPage.ParseAsync(await client.PostSignupAsync(form, $"vanish-during-{incident}-{i}", $"vanish-during-{incident}-{i}@example.com"));
                    AssertFriendly503(signup);

                    // A pooled connection may still read the moved file once; after the first failure it is dropped.
                    var listing = await HtmlPage.GetAsync(client, "/users");
                    Assert.True(listing.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)listing.Status} for the listing");
                    if (listing.Status == HttpStatusCode.ServiceUnavailable)
                    {
                        AssertFriendly503(listing);
                    }
                }

                var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode);

                // The process itself is fine: liveness says so without touching the database.
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz/live", UriKind.Relative))).StatusCode);
            }
            finally
            {
                Directory.Move(directory + "-away", directory);
            }

            Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, $"vanish-after-{incident}", $"vanish-after-{incident}@example.com")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
            await server.WaitForOutputAsync(Ended, incident);
            Assert.Equal(incident, server.OutputCount(Started));
        }

        Assert.True(server.OutputCount("fail: ") == 2, server.Output);
        // What was answered 302 is there; what was answered 503 is not.
        var stored = await HtmlPage.GetAsync(client, "/users?q=vanish-");
        Assert.Equal(["vanish-after-2", "vanish-after-1", "vanish-before"], stored.Texts(".user-list .username"));
    }

    [Fact]
    public async Task A_full_disk_refuses_signups_with_a_friendly_503_and_recovers_without_a_restart()
    {
        await using var server = await AppServer.StartAsync(database.Db.Settings);
        using var client = server.CreateClient();
        var form = await client.GetSignupFormAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, "full-before", "full-before@example.com")).StatusCode);

        await server.LimitFileSizeAsync(0);
        try
        {
            for (var i = 0; i < RequestsDuringOutage; i++)
            {
                AssertFriendly503(await HtmlPage.ParseAsync(await client.PostSignupAsync(form, $"full-during-{i}", $"full-during-{i}@example.com")));

                // Reads go on while SQLite's shared-memory file is in place; once the last connection has closed
                // it must be created again, which a full disk refuses too: then the listing is the same friendly 503.
                var listing = await HtmlPage.GetAsync(client, "/users");
                if (listing.Status != HttpStatusCode.OK)
                {
                    AssertFriendly503(listing);
                }
            }

            // The open incident makes the health check commit a write, which the disk refuses.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        }
        finally
        {
            await server.LimitFileSizeAsync(null);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        await server.WaitForOutputAsync(Ended, 1);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, "full-after", "full-after@example.com")).StatusCode);
        Assert.Equal(1, server.OutputCount(Started));
        Assert.True(server.OutputCount("fail: ") == 1, server.Output);
        Assert.Equal(["full-after", "full-before"], (await HtmlPage.GetAsync(client, "/users?q=full-")).Texts(".user-list .username"));
    }

    private static void AssertFriendly503(HtmlPage page)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
        Assert.Equal("5", page.Response.Headers.RetryAfter?.ToString());
        Assert.Equal("Temporarily unavailable", page.Text("h1"));
        Assert.Contains("try again in 5 seconds", page.Text("main"), StringComparison.Ordinal);
        Assert.Contains("Nothing you sent was lost or half-saved", page.Text("main"), StringComparison.Ordinal);
        ResponseAssert.NoInternals(page);
    }

}
