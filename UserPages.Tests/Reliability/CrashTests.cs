using System.Net;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// The app SIGKILLed in the middle of a signup load (a real process, not TestServer): every signup that was
/// answered with a redirect is in the database afterwards, no row is half-written, and the app starts again.
/// </summary>
public abstract class CrashTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    public const int Workers = 8;
    public const int AnsweredBeforeKill = 150;

    private const long SqliteSynchronousFull = 2;

    [Fact]
    public async Task Killed_mid_signup_load_it_loses_no_answered_signup_and_leaves_nothing_half_written()
    {
        await using var server = await AppServer.StartAsync(database.Db.Settings);
        await using var load = SignupLoad.Start(server.CreateClient, Workers, "crash", stopWhenUnanswered: true);
        await load.UntilAsync(l => l.Redirected.Count >= AnsweredBeforeKill, $"{AnsweredBeforeKill} signups");

        await server.KillAsync();
        await load.StopAsync();

        TestContext.Current.SendDiagnosticMessage($"{GetType().Name}: app killed after {load.Summary()}.");

        // Unique names: before the kill every signup was stored; the kill itself only cuts connections.
        Assert.True(load.Answers.All(a => a.Status == HttpStatusCode.Redirect), $"{load.Summary()}. The app printed:\n{server.Output}");
        var rows = await database.Db.ReadEmailsByUsernameAsync();
        Assert.All(load.Redirected, name => Assert.True(rows.ContainsKey(name), $"{name} was answered 302 but is not in the database."));
        Assert.All(rows, row => Assert.Equal(load.Sent[row.Key], row.Value));
        Assert.InRange(rows.Count - load.Redirected.Count, 0, Workers); // at most the requests in flight at the kill
        if (database.Db.Provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal("ok", await database.Db.ScalarAsync<string>("PRAGMA integrity_check"));

            // Read through the app's own connection factory, which sets it per connection: what every commit used.
            Assert.Equal(SqliteSynchronousFull, await database.Db.ScalarAsync<long>("PRAGMA synchronous"));
        }

        await using var restarted = await AppServer.StartAsync(database.Db.Settings);
        using var again = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignUpAsync("after-crash", "after-crash@example.com")).StatusCode);
    }
}

public sealed class CrashTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : CrashTests<SqliteEngine>(database);

public sealed class CrashTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : CrashTests<PostgresEngine>(database);

public sealed class CrashTestsOnMySql(DatabaseFixture<MySqlEngine> database) : CrashTests<MySqlEngine>(database);
