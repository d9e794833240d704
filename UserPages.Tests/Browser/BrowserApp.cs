using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Browser;

/// <summary>
/// The app in Production on a real Kestrel at a free loopback port (not TestServer: a browser needs a socket), over a
/// fresh SQLite file of its own. One per browser test class.
/// </summary>
public class BrowserApp : AppFixture<SqliteEngine>
{
    private readonly Lazy<Uri> _address;

    public BrowserApp(TestServers servers)
        : base(servers) => _address = new(StartKestrel);

    /// <summary>The server's base address; the first call starts it.</summary>
    public Uri Address => _address.Value;

    private Uri StartKestrel()
    {
        // Port 0: the operating system picks a free one, so parallel runs on one machine never collide.
        Factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.Single());
    }
}
