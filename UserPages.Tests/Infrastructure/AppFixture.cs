using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The whole app in Production mode over a fresh, migrated database of <typeparamref name="TEngine"/>: one per test
/// class, with every log entry it writes kept in <see cref="Logs"/>.
/// </summary>
public class AppFixture<TEngine>(TestServers servers) : DatabaseFixture<TEngine>(servers)
    where TEngine : ITestEngine
{
    private WebApplicationFactory<Program>? _factory;

    /// <summary>What the app (and every other instance of it) logged, at the levels its own configuration enables.</summary>
    public FakeLogCollector Logs { get; } = new();

    public WebApplicationFactory<Program> Factory => Available(_factory);

    /// <summary>A client that does not follow redirects, so tests see the 302 itself; cookies are kept.</summary>
    public HttpClient CreateClient() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Settings on top of the database's: <see cref="TestAppSettings.Common"/> unless a class says otherwise.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => TestAppSettings.Common;

    /// <summary>Anything more a class needs from the host (test-only middleware, a real socket).</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = NewInstance();
    }

    /// <summary>Another instance of the app over the same database, as behind a load balancer; the caller disposes it.</summary>
    public WebApplicationFactory<Program> StartAnotherInstance()
    {
        _ = Factory; // the engine's skip, when it is missing
        return NewInstance();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await base.DisposeAsyncCore();
    }

    // The host is built on first use, so the settings are read only then, from a database that is in place.
    private WebApplicationFactory<Program> NewInstance() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in Db.Settings.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs))));
        ConfigureWebHost(builder);
    });
}
