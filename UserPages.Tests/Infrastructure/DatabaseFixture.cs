namespace UserPages.Tests.Infrastructure;

/// <summary>A fresh, migrated database without the web app, for data-layer tests. Subclasses pick the engine.</summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        Db = await CreateDatabaseAsync();
        await Db.Migrator.UpAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }
}

public sealed class SqliteDatabaseFixture : DatabaseFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.CreateSqlite());
}

public sealed class PostgresDatabaseFixture : DatabaseFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreatePostgresAsync();
}

public sealed class MySqlDatabaseFixture : DatabaseFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateMySqlAsync();
}
