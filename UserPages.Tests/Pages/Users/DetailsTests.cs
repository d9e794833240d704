using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>A user's page through the real HTTP pipeline, down to the friendly 404 when there is no such user.</summary>
public sealed class DetailsTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    [Theory]
    [InlineData("/users/987654", "User #987654 does not exist.")]
    [InlineData("/users/0", "User #0 does not exist.")]
    public async Task A_missing_users_404_says_that_user_does_not_exist(string url, string explanation)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("Page not found", page.Text("h1"));
        Assert.StartsWith(explanation, page.Text(".error-page h1 + p"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users/abc")]
    [InlineData("/no/such/page")]
    public async Task Any_other_404_keeps_the_general_explanation(string url)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("There is nothing at this address. The link may be mistyped, or the page may have moved.", page.Text(".error-page h1 + p"));
    }
}
