using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>The listing's title says what is listed, as a tab or a screen reader announces it.</summary>
public sealed class ListingTitleTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    [Theory]
    [InlineData("/users", HttpStatusCode.OK, "Users · UserPages")]
    [InlineData("/users?q=lovelace", HttpStatusCode.OK, "Users matching “lovelace” · UserPages")]
    // "Error:" first, as on the signup form: the search was refused, and its message is by the box.
    [InlineData("/users?q=ab", HttpStatusCode.BadRequest, "Error: Users matching “ab” · UserPages")]
    public async Task A_search_pages_title_names_the_search(string url, HttpStatusCode status, string title)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Equal(status, page.Status);
        Assert.Equal(title, page.Document.Title);
    }
}
