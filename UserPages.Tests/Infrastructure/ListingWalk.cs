using System.Net;

namespace UserPages.Tests.Infrastructure;

/// <summary>Walks a listing (or a search) the way a reader pages through it.</summary>
public static class ListingWalk
{
    /// <summary>
    /// Follows "Older" (a <c>before=</c> link) from <paramref name="url"/> to the last page, then "Newer" (an <c>after=</c>
    /// link) back to the first, which has no Newer link; every page answers 200 and the way back shows the same pages.
    /// Answers the usernames, page by page.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> OlderToTheEndAndBackAsync(HttpClient client, string url)
    {
        var pages = new List<IReadOnlyList<string>>();
        var page = await HtmlPage.GetAsync(client, url);
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            pages.Add(page.Texts(".user-list .username"));
            if (page.Document.QuerySelector("a[rel=next]")?.GetAttribute("href") is not { } older)
            {
                break;
            }

            Assert.Contains("before=", older, StringComparison.Ordinal);
            page = await HtmlPage.GetAsync(client, older);
        }

        for (var back = pages.Count - 2; back >= 0; back--)
        {
            var newer = page.Document.QuerySelector("a[rel=prev]")?.GetAttribute("href");
            Assert.NotNull(newer);
            Assert.Contains("after=", newer, StringComparison.Ordinal);
            page = await HtmlPage.GetAsync(client, newer);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal(pages[back], page.Texts(".user-list .username"));
        }

        Assert.Null(page.Document.QuerySelector("a[rel=prev]"));
        return pages;
    }
}
