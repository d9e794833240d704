using System.Net;
using Microsoft.AspNetCore.Hosting;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: forwarded headers are believed from the configured proxy only, and then HTTPS
/// redirection, HSTS and Secure cookies follow the client's real scheme.
/// </summary>
public sealed class TransportSecurityTests(TransportSecurityTests.Fixture app) : IClassFixture<TransportSecurityTests.Fixture>
{
    public const string Proxy = "10.1.2.3";
    public const string Stranger = "203.0.113.7";

    /// <summary>The app as deployed behind a proxy at 10.1.2.3 that forwards to it over http, public port 443.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<SqliteEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["TransportSecurity:ForwardedHeaders"] = "true",
            ["TransportSecurity:KnownNetworks:0"] = "10.1.0.0/16",
            ["TransportSecurity:HttpsPort"] = "443",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseTestPeerAddress();
    }

    [Fact]
    public async Task Plain_http_from_the_proxy_is_redirected_to_https()
    {
        var response = await SendAsync(HttpMethod.Get, "/users", Proxy, forwardedProto: "http");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://userpages.example/users", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Https_forwarded_by_the_proxy_gets_hsts_and_secure_cookies()
    {
        var response = await SendAsync(HttpMethod.Get, "/users/new", Proxy, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", ResponseAssert.Header(response, "Strict-Transport-Security"));
        ResponseAssert.SessionCookie(
            Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)),
            secure: true);
    }

    [Fact]
    public async Task Forwarded_headers_from_anyone_else_are_ignored()
    {
        // A client claiming to have come over https is still plain http, so it is redirected and gets no HSTS.
        var response = await SendAsync(HttpMethod.Get, "/users", Stranger, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string peer, string forwardedProto)
    {
        var request = new HttpRequestMessage(method, new Uri("http://userpages.example" + url));
        request.Headers.Add(TestPeerAddress.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-For", "198.51.100.20");
        return app.CreateClient().SendAsync(request);
    }
}
