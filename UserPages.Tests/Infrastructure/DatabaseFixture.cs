namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database without the web app, for data-layer tests. <see cref="DatabaseFixture{TEngine}"/> picks
/// the engine.
/// </summary>
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

/// <summary>A database of <typeparamref name="TEngine"/>.</summary>
public sealed class DatabaseFixture<TEngine> : DatabaseFixture
    where TEngine : ITestEngine
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TEngine.CreateDatabaseAsync();
}
