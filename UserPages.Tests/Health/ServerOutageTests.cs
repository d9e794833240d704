using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Health;

/// <summary>
/// The database server goes away under a running app and comes back: pages answer a friendly 503, /healthz turns
/// unhealthy, and the app serves again by itself once the server is back, with no restart.
/// </summary>
public abstract class ServerOutageTests<TEngine>(ServerOutageTests<TEngine>.Fixture app) : IClassFixture<ServerOutageTests<TEngine>.Fixture>
    where TEngine : IServerEngine
{
    /// <summary>The app over a server of the class's own, which the test stops and starts.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        private LocalServer? _server;

        public LocalServer Server => Available(_server);

        protected override async Task<TestDatabase> CreateDatabaseAsync()
        {
            _server = await TEngine.StartServerAsync();
            return await TestDatabase.CreateOnServerAsync(TEngine.Provider, _server.ConnectionString);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await base.DisposeAsyncCore();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Pages_answer_503_and_healthz_is_unhealthy_while_the_server_is_down_then_both_recover()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("outage");
        // Several requests at once leave several connections in the pool, all of which the outage kills.
        var warm = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => HtmlPage.GetAsync(app.CreateClient(), "/users")));
        Assert.All(warm, page => Assert.Equal(HttpStatusCode.OK, page.Status));
        var form = (await HtmlPage.GetAsync(client, "/users/new")).FormValues();

        await app.Server.StopAsync();
        try
        {
            var listing = await HtmlPage.GetAsync(client, "/users");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.Status);
            Assert.Equal("Temporarily unavailable", listing.Text("h1"));
            Assert.True(listing.Response.Headers.Contains("Retry-After"));
            Assert.DoesNotContain("Exception", listing.Document.Body!.InnerHtml, StringComparison.Ordinal);

            form["Input.Username"] = name;
            form["Input.Email"] = $"{name}@example.com";
            var signup = await HtmlPage.ParseAsync(await client.PostAsync(new Uri("/users/new", UriKind.Relative), new FormUrlEncodedContent(form)));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, signup.Status);
            Assert.Equal("Temporarily unavailable", signup.Text("h1"));

            var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.Server.StartAsync();
        }

        // Back at once: no request after the restart meets a dead connection left over from before.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await HtmlPage.GetAsync(client, "/users")).Status);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
    }

    [Fact]
    public async Task Killed_mid_signup_load_the_server_loses_no_answered_signup_and_the_app_serves_again_by_itself()
    {
        const int Workers = 8;
        await using var load = SignupLoad.Start(app.CreateClient, Workers, "server-crash");
        await load.UntilAsync(l => l.Redirected.Count >= 100, "100 signups before the kill");
        var atKill = load.Answers.Count;
        await app.Server.CrashAsync();
        try
        {
            await load.UntilAsync(l => l.Answers.Skip(atKill).Count(a => a.Status == HttpStatusCode.ServiceUnavailable) >= 20, "20 answers of 503 while the server is down");
        }
        finally
        {
            await app.Server.StartAsync();
        }

        var atRestart = load.Answers.Count;
        await load.UntilAsync(l => l.Answers.Skip(atRestart).Count(a => a.Status == HttpStatusCode.Redirect) >= 50, "50 signups after the restart");
        await load.StopAsync();

        TestContext.Current.SendDiagnosticMessage($"{GetType().Name}: server killed after {atKill} answers, restarted after {atRestart}: {load.Summary()}.");

        // The app itself never dropped a request: every answer is a signup, a conflict or a friendly 503, never a 500.
        Assert.True(load.Unanswered == 0 && load.Answers.All(a => a.Status is HttpStatusCode.Redirect or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable), load.Summary());
        var rows = await app.Db.ReadEmailsByUsernameAsync();
        Assert.All(load.Redirected, name => Assert.True(rows.ContainsKey(name), $"{name} was answered 302 but is not in the database."));
        Assert.All(rows.Where(row => row.Key.StartsWith("server-crash-", StringComparison.Ordinal)), row => Assert.Equal(load.Sent[row.Key], row.Value));

        // At most one group of signups was committed as the server died, its answers lost with the connection.
        Assert.InRange(rows.Keys.Count(name => name.StartsWith("server-crash-", StringComparison.Ordinal)) - load.Redirected.Count, 0, Workers);
    }
}

public sealed class ServerOutageTestsOnPostgres(ServerOutageTests<PostgresEngine>.Fixture app) : ServerOutageTests<PostgresEngine>(app);

public sealed class ServerOutageTestsOnMySql(ServerOutageTests<MySqlEngine>.Fixture app) : ServerOutageTests<MySqlEngine>(app);
