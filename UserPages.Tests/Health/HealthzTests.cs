using System.Net;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Health;

/// <summary>
/// /healthz and /healthz/ready tell a load balancer whether this instance can serve (database reachable, schema
/// current); /healthz/live only that the process answers, whatever the database does.
/// </summary>
public abstract class HealthzTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/ready")]
    public async Task Healthy_when_the_database_answers_and_the_schema_is_current_then_503_when_it_is_not(string probe)
    {
        var client = app.CreateClient();

        var healthy = await client.GetAsync(new Uri(probe, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());

        await app.Db.Migrator.DownAsync(0, TestContext.Current.CancellationToken);
        try
        {
            var behind = await client.GetAsync(new Uri(probe, UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
            Assert.Equal("Unhealthy", await behind.Content.ReadAsStringAsync());

            // Liveness looks at the process alone: an instance waiting for its migration must not be restarted.
            var live = await client.GetAsync(new Uri("/healthz/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.Db.MigrateAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(probe, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Ready_while_the_schema_is_ahead_of_this_build_so_old_instances_keep_serving_through_an_upgrade()
    {
        var newer = TestDatabase.LatestVersion + 1;
        var (table, version, appliedOn, description) = app.Db.Provider == DatabaseProvider.MySql
            ? ("`VersionInfo`", "`Version`", "`AppliedOn`", "`Description`")
            : ("\"VersionInfo\"", "\"Version\"", "\"AppliedOn\"", "\"Description\"");
        await app.Db.RunScriptAsync($"INSERT INTO {table} ({version}, {appliedOn}, {description}) VALUES ({newer}, CURRENT_TIMESTAMP, 'Next release (test only)')");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode);
        }
        finally
        {
            await app.Db.RunScriptAsync($"DELETE FROM {table} WHERE {version} = {newer}");
        }
    }
}

public sealed class HealthzTestsOnSqlite(AppFixture<SqliteEngine> app) : HealthzTests<SqliteEngine>(app);

public sealed class HealthzTestsOnPostgres(AppFixture<PostgresEngine> app) : HealthzTests<PostgresEngine>(app);

public sealed class HealthzTestsOnMySql(AppFixture<MySqlEngine> app) : HealthzTests<MySqlEngine>(app);
