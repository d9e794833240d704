using System.Net;
using Microsoft.Extensions.Logging;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>A full email address appears on no public page and in no log entry at Information level or above.</summary>
public sealed class PrivacyTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    [Fact]
    public async Task A_full_email_is_never_shown_publicly_nor_logged()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("private");
        var email = $"{name}+Secret@Example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, email)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.SignUpAsync(name + "2", email)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SignUpAsync("x", email)).StatusCode);

        var listing = await HtmlPage.GetAsync(client, "/users");
        var id = listing.Document.QuerySelector(".user-list .username")!.GetAttribute("href")!;
        var details = await HtmlPage.GetAsync(client, id);
        var search = await HtmlPage.GetAsync(client, "/users?q=" + Uri.EscapeDataString(name));

        var stored = email.ToLowerInvariant();
        Assert.DoesNotContain(stored, listing.Document.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(stored, details.Document.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(stored, search.Document.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"p***@example.com", details.Text(".profile dd"));
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Level >= LogLevel.Information && entry.Mentions(stored));
    }
}
