using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace UserPages.Mail;

/// <summary><c>App:PublicBaseUrl</c>: the address people reach the app at, which links in mail are built from.</summary>
public sealed class AppOptions : IValidatableObject
{
    public const string SectionName = "App";

    public Uri? PublicBaseUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            yield return new ValidationResult("App:PublicBaseUrl must be an absolute http or https address without a query, like https://users.example.com/.");
        }
    }
}

/// <summary>Absolute links for mail, from <c>App:PublicBaseUrl</c> alone: never from a request's Host header, which a client chooses.</summary>
public sealed class PublicLinks(IOptions<AppOptions> options)
{
    /// <summary>The link to <paramref name="path"/> (relative to the base, like <c>users/42</c>).</summary>
    public Uri To(string path)
    {
        var baseUrl = options.Value.PublicBaseUrl
            ?? throw new InvalidOperationException("App:PublicBaseUrl is not set; links in mail are built from it alone.");
        var withSlash = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(withSlash, path.TrimStart('/'));
    }
}

/// <summary>A feature that puts links in mail: while one is registered, Production refuses to start without <c>App:PublicBaseUrl</c>.</summary>
public sealed record LinksInMail(string Feature);
