using System.Net;
using AngleSharp.Dom;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>Every response, pages, errors, static files and the health check alike, carries the security headers.</summary>
public sealed class SecurityHeadersTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    public static TheoryData<string> Addresses => new() { "/users", "/users/new", "/users/999999", "/no-such-page", "/error/500", "/healthz", "/healthz/live", "/healthz/ready", "/css/site.css" };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Every_response_carries_a_strict_csp_and_the_other_security_headers(string url)
    {
        var response = await app.CreateClient().GetAsync(new Uri(url, UriKind.Relative));

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
        Assert.False(response.Headers.Contains("Server"));
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
