using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>Signups are limited per client address: the next post is a friendly 429 with Retry-After, nothing stored.</summary>
public sealed class SignupRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Past_the_limit_a_signup_answers_429_with_retry_after_and_stores_nothing_while_reading_still_works()
    {
        var client = ClientFrom("192.0.2.10");
        for (var i = 0; i < RateLimitedApp.Limit; i++)
        {
            var name = SignupClient.UniqueName("limited");
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        }

        var over = SignupClient.UniqueName("over");
        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(over, $"{over}@example.com"));

        Assert.Equal(HttpStatusCode.TooManyRequests, page.Status);
        var retryAfter = int.Parse(ResponseAssert.Header(page.Response, "Retry-After"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Equal("Too many requests", page.Text("h1"));
        Assert.Contains($"wait {retryAfter} seconds", page.Text("main"), StringComparison.Ordinal);
        Assert.Equal(0, await app.Db.CountUsersAsync(over));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users/new", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Another_address_has_its_own_allowance_and_invalid_posts_count_too()
    {
        var noisy = ClientFrom("192.0.2.20");
        for (var i = 0; i < RateLimitedApp.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await noisy.SignUpAsync("", "")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await noisy.SignUpAsync("", "")).StatusCode);

        var name = SignupClient.UniqueName("other");
        Assert.Equal(HttpStatusCode.Redirect, (await ClientFrom("2001:db8::20").SignUpAsync(name, $"{name}@example.com")).StatusCode);
    }

    [Fact]
    public async Task An_ipv4_client_seen_as_an_ipv4_mapped_ipv6_address_shares_its_ipv4_allowance()
    {
        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; switching form must not double the allowance.
        for (var i = 0; i < RateLimitedApp.Limit; i++)
        {
            var client = ClientFrom(i % 2 == 0 ? "192.0.2.30" : "::ffff:192.0.2.30");
            Assert.Equal(HttpStatusCode.BadRequest, (await client.SignUpAsync("", "")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ClientFrom("::ffff:192.0.2.30").SignUpAsync("", "")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ClientFrom("192.0.2.30").SignUpAsync("", "")).StatusCode);
    }

    private HttpClient ClientFrom(string address) => app.CreateClient().From(address);
}
