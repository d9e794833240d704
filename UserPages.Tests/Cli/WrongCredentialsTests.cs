using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>What only a database server has: credentials, which `migrate` reports plainly when they are wrong.</summary>
public abstract class WrongCredentialsTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : IServerEngine
{
    [Fact]
    public async Task Wrong_credentials_fail_with_one_line_that_says_so()
    {
        var result = await AppProcess.RunAsync(database.Db.WrongPasswordSettings, "migrate", "status");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("migrate status failed: ", line, StringComparison.Ordinal);
        Assert.Matches("(?i)password authentication failed|access denied", line);
        Assert.DoesNotContain("wrong-password", line, StringComparison.Ordinal);
    }
}

public sealed class WrongCredentialsTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : WrongCredentialsTests<PostgresEngine>(database);

public sealed class WrongCredentialsTestsOnMySql(DatabaseFixture<MySqlEngine> database) : WrongCredentialsTests<MySqlEngine>(database);
