using Microsoft.AspNetCore.Mvc.Filters;

namespace UserPages.Hosting;

/// <summary>
/// <c>Referrer-Policy: no-referrer</c> for a page whose address carries a token (a link from a mail), so no link
/// followed from it, and no request for its stylesheet, sends that address on. The security headers leave it standing.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NoReferrerAttribute : ResultFilterAttribute
{
    public const string Policy = "no-referrer";

    public override void OnResultExecuting(ResultExecutingContext context) =>
        context.HttpContext.Response.Headers[SecurityHeaders.ReferrerPolicyHeader] = Policy;
}
