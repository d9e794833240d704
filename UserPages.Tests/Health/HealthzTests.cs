using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Health;

/// <summary>/healthz tells a load balancer whether this instance can serve: database reachable, schema current.</summary>
public abstract class HealthzTests(AppFixture app)
{
    [SkippableFact]
    public async Task Healthy_when_the_database_answers_and_the_schema_is_current_then_503_when_it_is_not()
    {
        var client = app.CreateClient();

        var healthy = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());

        await app.Db.Migrator.DownAsync(0, default);
        try
        {
            var behind = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.StatusCode);
            Assert.Equal("Unhealthy", await behind.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.Db.Migrator.UpAsync(default);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}

public sealed class HealthzTestsOnSqlite(AppFixture<SqliteEngine> app) : HealthzTests(app), IClassFixture<AppFixture<SqliteEngine>>;

public sealed class HealthzTestsOnPostgres(AppFixture<PostgresEngine> app) : HealthzTests(app), IClassFixture<AppFixture<PostgresEngine>>;

public sealed class HealthzTestsOnMySql(AppFixture<MySqlEngine> app) : HealthzTests(app), IClassFixture<AppFixture<MySqlEngine>>;
