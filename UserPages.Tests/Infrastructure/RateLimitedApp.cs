using Microsoft.AspNetCore.Hosting;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The app with the signup rate limit on, at <see cref="Limit"/> signups per address an hour, and each client's address
/// set by the test (<see cref="TestPeerAddress"/>): for every class that tests what the limit counts.
/// </summary>
public sealed class RateLimitedApp(TestServers servers) : AppFixture<SqliteEngine>(servers)
{
    /// <summary>Few, so a test reaches the limit at once; the window is an hour, so a test never waits for one to pass.</summary>
    public const int Limit = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:SignupsPerWindow"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseTestPeerAddress();
}
