using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace UserPages.Hosting;

/// <summary>
/// A page with handlers answers only the methods it handles, GET and HEAD included (a page renders itself); routing
/// answers any other method 405 with <c>Allow</c>, where Razor Pages would render the page for TRACE or fail PUT on
/// the antiforgery check. A page without handlers (the error page, re-executed for whatever method failed) takes all.
/// </summary>
public sealed class HandledMethodsOnly : IPageApplicationModelConvention
{
    public void Apply(PageApplicationModel model)
    {
        if (model.HandlerMethods.Count == 0)
        {
            return;
        }

        var methods = model.HandlerMethods.Select(handler => handler.HttpMethod.ToUpperInvariant())
            .Concat([HttpMethods.Get, HttpMethods.Head])
            .Distinct()
            .Order(StringComparer.Ordinal);
        model.EndpointMetadata.Add(new HttpMethodMetadata([.. methods]));
    }
}
