using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace UserPages.Tests.Infrastructure;

/// <summary>A response with its HTML parsed, as a person (or a form) would see it.</summary>
public sealed record HtmlPage(HttpResponseMessage Response, IHtmlDocument Document)
{
    private static readonly HtmlParser Parser = new();

    public HttpStatusCode Status => Response.StatusCode;

    public static async Task<HtmlPage> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        return await ParseAsync(response);
    }

    public static async Task<HtmlPage> ParseAsync(HttpResponseMessage response) =>
        new(response, await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync()));

    /// <summary>The text of the first element matching the selector, whitespace-collapsed; null when absent.</summary>
    public string? Text(string selector) =>
        Document.QuerySelector(selector)?.TextContent is { } text
            ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            : null;

    public IReadOnlyList<string> Texts(string selector) =>
        Document.QuerySelectorAll(selector).Select(e => string.Join(' ', e.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();

    /// <summary>The form's current field values, hidden antiforgery token included.</summary>
    public Dictionary<string, string> FormValues(string selector = "form[method=post]")
    {
        var form = Document.QuerySelector<IHtmlFormElement>(selector) ?? throw new InvalidOperationException($"No form matches {selector}.");
        return form.Elements.OfType<IHtmlInputElement>()
            .Where(input => !string.IsNullOrEmpty(input.Name))
            .ToDictionary(input => input.Name!, input => input.Value);
    }
}
