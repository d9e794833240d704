namespace UserPages.Tests.Infrastructure;

/// <summary>What every answer of the app must get right, whichever test provoked it.</summary>
public static class ResponseAssert
{
    /// <summary>Fails when the page gives away how the app is built: a stack trace, an exception, SQL, a connection string.</summary>
    public static void NoInternals(HtmlPage page)
    {
        var html = page.Document.DocumentElement.OuterHtml;
        foreach (var leak in new[] { "   at ", "Exception", "SQLite", "Data Source", "SELECT ", "INSERT ", "stack" })
        {
            Assert.DoesNotContain(leak, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// A stampede for one value: exactly one redirect, every other answer a 409 with the message beside the contested
    /// field (so no 5xx either); a failure lists what was answered.
    /// </summary>
    public static async Task OneWinnerAsync(IReadOnlyList<HttpResponseMessage> responses, string errorSelector, string message)
    {
        var statuses = Statuses(responses);
        Assert.True(responses.Count(r => r.StatusCode == System.Net.HttpStatusCode.Redirect) == 1, $"Answered: {statuses}");
        var conflicts = responses.Where(r => r.StatusCode == System.Net.HttpStatusCode.Conflict).ToList();
        Assert.True(conflicts.Count == responses.Count - 1, $"Answered: {statuses}");
        foreach (var conflict in conflicts)
        {
            Assert.Equal(message, (await HtmlPage.ParseAsync(conflict)).Text(errorSelector));
        }
    }

    /// <summary>How many of each status, for failure messages: "1 × 302, 63 × 409".</summary>
    public static string Statuses(IEnumerable<HttpResponseMessage> responses) => Statuses(responses.Select(r => r.StatusCode));

    /// <inheritdoc cref="Statuses(IEnumerable{HttpResponseMessage})"/>
    public static string Statuses(IEnumerable<System.Net.HttpStatusCode> statuses) =>
        string.Join(", ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}"));

    /// <summary>The header's value, from the response or its content; fails when it is missing.</summary>
    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing from the {(int)response.StatusCode} response.");

    /// <summary>A session cookie is HttpOnly and SameSite=Strict, and Secure exactly when asked.</summary>
    public static void SessionCookie(string setCookie, bool secure)
    {
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Equal(secure, attributes.Contains("secure"));
    }
}
