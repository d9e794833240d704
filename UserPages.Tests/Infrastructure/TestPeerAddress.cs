using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// TestServer has no TCP connection, so no client address. This puts one in from the test-only header
/// <c>X-Test-Peer</c> before anything of the app runs, the way Kestrel would from the socket: per-address rate
/// limits and trusted-proxy checks can then be tested in process.
/// </summary>
public static class TestPeerAddress
{
    public const string Header = "X-Test-Peer";

    public static IWebHostBuilder UseTestPeerAddress(this IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, Filter>());

    /// <summary>Makes every request of this client come from <paramref name="address"/>.</summary>
    public static HttpClient From(this HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    private sealed class Filter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
