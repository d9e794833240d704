using Xunit.Sdk;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database of <typeparamref name="TEngine"/> that one test class owns, without the web app: the way a
/// test class gets a database, read through <see cref="Db"/>. A class that needs more (seeded users, settings, a server
/// of its own) subclasses it, or <see cref="AppFixture{TEngine}"/>, as a nested <c>Fixture</c>; a test that needs a
/// database of its own calls <see cref="ITestEngine.CreateDatabaseAsync"/>.
/// </summary>
public class DatabaseFixture<TEngine>(TestServers servers) : IAsyncLifetime
    where TEngine : ITestEngine
{
    private TestDatabase? _db;
    private SkipException? _missing;

    /// <summary>The database; a test that reads it while the engine is missing is skipped.</summary>
    public TestDatabase Db => Available(_db);

    public virtual async ValueTask InitializeAsync()
    {
        try
        {
            _db = await CreateDatabaseAsync();
        }
        catch (SkipException missing)
        {
            // xunit reports a skip thrown while a class fixture starts as a failure of every test in the class, so the
            // skip is kept and thrown again by each test that touches the fixture, where it counts as a skip.
            _missing = missing;
            return;
        }

        await _db.MigrateAsync();
        await OnMigratedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the fixture holds; a subclass releases its own first, then calls this.</summary>
    protected virtual async ValueTask DisposeAsyncCore()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    protected virtual Task<TestDatabase> CreateDatabaseAsync() => TEngine.CreateDatabaseAsync(servers);

    /// <summary>Runs once the schema is in place, before any app starts: seed what the class needs.</summary>
    protected virtual Task OnMigratedAsync() => Task.CompletedTask;

    /// <summary>The value, once the fixture has started; the engine's skip when it is missing.</summary>
    protected T Available<T>(T? value)
        where T : class =>
        _missing is not null ? throw _missing : value ?? throw new InvalidOperationException("Not initialized.");
}
