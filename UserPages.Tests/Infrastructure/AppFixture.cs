using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The whole app in Production mode over a fresh, migrated database: one per test class. <see cref="AppFixture{TEngine}"/>
/// and the like pick the engine.
/// </summary>
public abstract class AppFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Db { get; private set; } = null!;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>A client that does not follow redirects, so tests see the 302 itself; cookies are kept.</summary>
    public HttpClient CreateClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>
    /// Settings on top of the database's. Tests post many signups from one (unknown) client address, so the signup
    /// rate limit is off unless a class turns it on; it has tests of its own.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimiting:Enabled"] = "false",
    };

    /// <summary>Runs once the schema is in place, before the app starts: seed what the class needs.</summary>
    protected virtual Task OnMigratedAsync() => Task.CompletedTask;

    /// <summary>Anything more a class needs from the host (logging capture, test-only middleware).</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        Db = await CreateDatabaseAsync();
        await Db.Migrator.UpAsync(CancellationToken.None);
        await OnMigratedAsync();
        _factory = StartAnotherInstance();
    }

    /// <summary>Another instance of the app over the same database, as behind a load balancer; the caller disposes it.</summary>
    public WebApplicationFactory<Program> StartAnotherInstance() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Db.Settings.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }

        ConfigureWebHost(builder);
    });

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }
}

/// <summary>The app over a database of <typeparamref name="TEngine"/>.</summary>
public class AppFixture<TEngine> : AppFixture
    where TEngine : ITestEngine
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TEngine.CreateDatabaseAsync();
}

/// <summary>The app with every log entry it writes kept, at the levels its own configuration enables.</summary>
public abstract class LoggedAppFixture : AppFixture
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(Logs)));
}

/// <summary>The logged app over a database of <typeparamref name="TEngine"/>.</summary>
public sealed class LoggedAppFixture<TEngine> : LoggedAppFixture
    where TEngine : ITestEngine
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TEngine.CreateDatabaseAsync();
}
