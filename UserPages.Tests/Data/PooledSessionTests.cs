using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Data;

/// <summary>
/// PostgreSQL's pooled sessions go back to the pool as they are, with no DISCARD ALL, and keep their prepared
/// statements (Database's pool defaults). That is safe only while no pooled session carries state of its own, and a
/// prepared statement must survive a migration beside the running app.
/// </summary>
public sealed class PooledSessionTests(AppFixture<PostgresEngine> app) : IClassFixture<AppFixture<PostgresEngine>>
{
    [Fact]
    public async Task Clearing_a_pool_after_a_fault_drops_only_that_databases_sessions()
    {
        // Two pools of their own, so nothing else in the class takes or adds a session between the reads.
        var database = OnItsOwnPool("this app");
        var other = OnItsOwnPool("another app");
        var session = await BackendOfAPooledSessionAsync(database);

        // Another database in the process (another test's app) meets a fault: this one keeps its session.
        other.ClearPool();
        Assert.Equal(session, await BackendOfAPooledSessionAsync(database));

        database.ClearPool();
        Assert.NotEqual(session, await BackendOfAPooledSessionAsync(database));
    }

    [Fact]
    public async Task The_migrate_lock_ends_with_its_session_and_is_never_left_in_the_pool()
    {
        await using (await app.Db.HoldMigrationLockAsync())
        {
            Assert.Equal(1, await app.Db.CountAdvisoryLocksAsync());
        }

        // A migrate run takes it and lets it go too.
        await app.Db.Migrator.UpAsync(TestContext.Current.CancellationToken);

        // The server ends a closed session a moment after the close returns: not a measurement, a bound on the wait.
        var waited = Stopwatch.StartNew();
        while (await app.Db.CountAdvisoryLocksAsync() > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "The migrate lock outlived its session.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.All(await app.Db.ReadPooledSessionsAsync(), session => Assert.Equal(0, session.AdvisoryLocks));
    }

    [Fact]
    public async Task After_every_kind_of_request_and_a_migrate_the_pooled_sessions_carry_nothing_of_their_own()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("session");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        var id = (await app.Db.FindUserAsync(name))!.Id;
        foreach (var path in new[] { "/users", "/users?q=session", $"/users/{id}", "/users/new", "/healthz" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode);
        }

        await app.Db.Migrator.DownAsync(TestDatabase.VersionBeforeLatest, TestContext.Current.CancellationToken);
        await app.Db.Migrator.UpAsync(TestContext.Current.CancellationToken);

        var sessions = await app.Db.ReadPooledSessionsAsync();

        Assert.Equal(sessions.Count, sessions.Select(session => session.Pid).Distinct().Count());
        Assert.All(sessions, session =>
        {
            Assert.Null(session.Settings);
            Assert.Equal(0, session.AdvisoryLocks);
            Assert.Null(session.Channels);
            Assert.Equal("force_generic_plan", session.PlanCacheMode);
        });
    }

    private Database OnItsOwnPool(string applicationName) => new(new DatabaseOptions
    {
        Provider = DatabaseProvider.Postgres,
        ConnectionString = $"{app.Db.ConnectionString};Application Name={applicationName}",
    });

    private static async Task<int> BackendOfAPooledSessionAsync(Database database)
    {
        await using var unit = await database.BeginReadAsync(TestContext.Current.CancellationToken);
        return await unit.Connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: unit.Transaction);
    }
}

/// <summary>
/// A prepared statement beside a migration, on an app with one pooled session, so the page's statement is prepared on
/// the only session there is: with more, a background service's read could hand the next request an unprepared one.
/// </summary>
public sealed class PreparedStatementMigrationTests(PreparedStatementMigrationTests.OneSession app) : IClassFixture<PreparedStatementMigrationTests.OneSession>
{
    [Fact]
    public async Task A_migration_that_changes_a_column_a_prepared_statement_returns_costs_one_503_and_never_a_500()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("prepared");
        await app.Db.ImportUsersAsync([new(name, $"{name}@example.com", DateTime.UtcNow)]);
        var id = (await app.Db.FindUserAsync(name))!.Id;

        // One session (the app's pool emptied, and one connection at most), on which the user's page's statement is
        // prepared once it has run five times. Other apps in this process clear only their own pools on a fault; when
        // each cleared every pool, a server-outage test running beside this one took that session away (1 run in 6).
        app.Factory.Services.GetRequiredService<Database>().ClearPool();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/users/{id}", TestContext.Current.CancellationToken)).StatusCode);
        }

        await app.Db.RunScriptAsync("ALTER TABLE users ALTER COLUMN username TYPE varchar(41)");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync($"/users/{id}", TestContext.Current.CancellationToken)).StatusCode);
        }

        // The first finds its statement's plan stale ("cached plan must not change result type"): a 503, as for any
        // passing database fault, and the pool is cleared, so every page after it is served afresh.
        Assert.Equal(
            [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK],
            statuses);
    }

    public sealed class OneSession(TestServers servers) : AppFixture<PostgresEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["ConnectionStrings:Users"] = Db.Settings["ConnectionStrings:Users"] + ";Maximum Pool Size=1",
        };
    }
}

/// <summary>
/// MariaDB's pooled sessions go back to the pool without a reset (Connection Reset=false in Database's pool defaults):
/// safe only while none carries state of its own, such as the migrate lock, a named lock its session holds.
/// </summary>
public sealed class PooledSessionTestsOnMySql(AppFixture<MySqlEngine> app) : IClassFixture<AppFixture<MySqlEngine>>
{
    private const string MigrateLockHolder = "SELECT IS_USED_LOCK(CONCAT('userpages.migrate.', MD5(DATABASE())))";

    [Fact]
    public async Task After_requests_and_a_migrate_no_session_holds_the_migrate_lock()
    {
        var client = app.CreateClient();
        await app.Db.Migrator.DownAsync(TestDatabase.VersionBeforeLatest, TestContext.Current.CancellationToken);
        await app.Db.Migrator.UpAsync(TestContext.Current.CancellationToken);
        foreach (var path in new[] { "/users", "/users?q=session", "/users/new", "/healthz" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal([null], await app.Db.QueryAsync<long?>(MigrateLockHolder));

        // And while one is held, the query sees it: the assertion above can fail.
        await using (await app.Db.HoldMigrationLockAsync())
        {
            Assert.NotNull((await app.Db.QueryAsync<long?>(MigrateLockHolder)).Single());
        }
    }
}
