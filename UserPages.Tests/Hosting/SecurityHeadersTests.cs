using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// Every response, pages, errors, static files and the health check alike, whatever its status, carries the security
/// headers, and none says which server sent it.
/// </summary>
public sealed class SecurityHeadersTests(AppFixture<SqliteEngine> app, TestServers servers) : IClassFixture<AppFixture<SqliteEngine>>
{
    public static TheoryData<string> Addresses => new() { "/users", "/users/new", "/users/999999", "/no-such-page", "/error/500", "/healthz", "/healthz/live", "/healthz/ready", "/css/site.css" };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Every_response_carries_a_strict_csp_and_the_other_security_headers(string url)
    {
        var response = await app.CreateClient().GetAsync(new Uri(url, UriKind.Relative));

        AssertSecurityHeaders(response);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.Redirect)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Every_status_the_app_answers_carries_the_security_headers(HttpStatusCode status)
    {
        var response = await ResponseWithStatusAsync(status);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Real_kestrel_sends_no_server_header_and_the_security_headers_on_what_the_app_answers()
    {
        await using var server = await AppServer.StartAsync(app.Db.Settings);
        using var client = server.CreateClient();

        foreach (var (method, url, status) in new[]
        {
            ("GET", "/users", HttpStatusCode.OK), ("GET", "/", HttpStatusCode.Redirect), ("GET", "/users?%00=1", HttpStatusCode.BadRequest),
            ("GET", "/users/%FF", HttpStatusCode.BadRequest), ("GET", "/no-such-page", HttpStatusCode.NotFound), ("PUT", "/users", HttpStatusCode.MethodNotAllowed),
            ("TRACE", "/users/new", HttpStatusCode.MethodNotAllowed),
        })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative)));
            Assert.Equal(status, response.StatusCode);
            AssertSecurityHeaders(response);
        }

        // Kestrel refuses some requests itself, before the app sees them (a NUL in the path, a request line past its
        // 8 KiB limit): bare answers without the app's headers, but without a Server header either.
        foreach (var (url, status) in new[] { ("/users/1%00", HttpStatusCode.BadRequest), ("/users?q=" + new string('x', 1024 * 1024), HttpStatusCode.RequestUriTooLong) })
        {
            using var kestrelClient = server.CreateClient();
            using var response = await kestrelClient.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(status, response.StatusCode);
            Assert.False(response.Headers.Contains("Server"));
        }
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = ResponseAssert.Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", ResponseAssert.Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", ResponseAssert.Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", ResponseAssert.Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", ResponseAssert.Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Equal("same-origin", ResponseAssert.Header(response, "Cross-Origin-Opener-Policy"));
        Assert.False(response.Headers.Contains("Server"));
    }

    /// <summary>A response of the status, provoked through the real pipeline the way a client or a fault would.</summary>
    private async Task<HttpResponseMessage> ResponseWithStatusAsync(HttpStatusCode status)
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("status");
        switch (status)
        {
            case HttpStatusCode.OK:
                return await client.GetAsync(new Uri("/users", UriKind.Relative));
            case HttpStatusCode.Redirect:
                return await client.SignUpAsync(name, $"{name}@example.com");
            case HttpStatusCode.BadRequest:
                return await client.GetAsync(new Uri("/users?before=garbage", UriKind.Relative));
            case HttpStatusCode.NotFound:
                return await client.GetAsync(new Uri("/users/999999999", UriKind.Relative));
            case HttpStatusCode.MethodNotAllowed:
                return await client.DeleteAsync(new Uri("/users/new", UriKind.Relative));
            case HttpStatusCode.Conflict:
                await client.SignUpAsync(name, $"{name}@example.com");
                return await client.SignUpAsync(name, $"{name}-again@example.com");
            case HttpStatusCode.RequestEntityTooLarge:
                return await client.PostAsync(new Uri("/users/new", UriKind.Relative), new ByteArrayContent(new byte[2 * 1024 * 1024]));
            case HttpStatusCode.TooManyRequests:
                await using (var limited = app.Factory.WithWebHostBuilder(builder => builder
                    .UseSetting("RateLimiting:Enabled", "true")
                    .UseSetting("RateLimiting:SignupsPerWindow", "1")
                    .UseSetting("RateLimiting:WindowSeconds", "3600")))
                {
                    var limitedClient = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                    await limitedClient.SignUpAsync(name, $"{name}@example.com");
                    return await limitedClient.SignUpAsync(name + "x", $"{name}x@example.com");
                }

            case HttpStatusCode.InternalServerError:
                // A bug, not a database failure: a service the listing needs throws.
                await using (var broken = app.Factory.WithWebHostBuilder(builder =>
                    builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new BrokenClock()))))
                {
                    return await broken.CreateClient().GetAsync(new Uri("/users", UriKind.Relative));
                }

            case HttpStatusCode.ServiceUnavailable:
                // A database file of its own, removed under the running app.
                var database = await SqliteEngine.CreateDatabaseAsync(servers);
                await database.MigrateAsync();
                await using (var orphaned = app.Factory.WithWebHostBuilder(builder =>
                {
                    foreach (var (key, value) in database.Settings)
                    {
                        builder.UseSetting(key, value);
                    }
                }))
                {
                    var orphanedClient = orphaned.CreateClient();
                    Assert.Equal(HttpStatusCode.OK, (await orphanedClient.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode);
                    await database.DisposeAsync();
                    return await orphanedClient.GetAsync(new Uri("/users", UriKind.Relative));
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "No way to provoke this status.");
        }
    }

    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("The clock is broken (a test's fault).");
    }

    [Fact]
    public async Task A_rejected_post_keeps_the_headers_too()
    {
        var response = await app.CreateClient().PostAsync(new Uri("/users/new", UriKind.Relative), new StringContent("x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("frame-ancestors 'none'", ResponseAssert.Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users")]
    [InlineData("/users/new")]
    [InlineData("/no-such-page")]
    public async Task Pages_have_no_inline_script_or_style_that_the_csp_would_block(string url)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Empty(page.Document.QuerySelectorAll("script:not([src]), style, [style]"));
        Assert.DoesNotContain(page.Document.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.All(page.Document.QuerySelectorAll("script[src], link[href]"), e =>
            Assert.StartsWith("/", e.GetAttribute("src") ?? e.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Session_cookies_are_http_only_and_same_site_strict_and_not_secure_over_plain_http()
    {
        var client = app.CreateClient();
        var form = await client.GetAsync(new Uri("/users/new", UriKind.Relative));
        var antiforgery = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        ResponseAssert.SessionCookie(antiforgery, secure: false);

        var name = SignupClient.UniqueName("cookie");
        var signup = await client.SignUpAsync(name, $"{name}@example.com");
        var tempData = Assert.Single(signup.Headers.GetValues("Set-Cookie"), c => c.Contains("TempData", StringComparison.Ordinal));
        ResponseAssert.SessionCookie(tempData, secure: false);
    }
}
