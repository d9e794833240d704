using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace UserPages.Hosting;

/// <summary>
/// The cookie TempData provider, but it sends the cookie's deletion only to a browser that has the cookie. The
/// framework's own sends an expired cookie with every page that reads TempData, and a response that sets a cookie is
/// never kept by the listing's cache.
/// </summary>
public sealed class CacheFriendlyTempDataProvider(CookieTempDataProvider cookies, IOptions<CookieTempDataProviderOptions> options) : ITempDataProvider
{
    public IDictionary<string, object> LoadTempData(HttpContext context) => cookies.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (values.Count > 0 || context.Request.Cookies.ContainsKey(options.Value.Cookie.Name!))
        {
            cookies.SaveTempData(context, values);
        }
    }
}

public static class CacheFriendlyTempDataRegistration
{
    /// <summary>Replaces the framework's TempData provider with <see cref="CacheFriendlyTempDataProvider"/>.</summary>
    public static IServiceCollection AddCacheFriendlyTempData(this IServiceCollection services)
    {
        services.AddSingleton<CookieTempDataProvider>();
        services.Replace(ServiceDescriptor.Singleton<ITempDataProvider, CacheFriendlyTempDataProvider>());
        return services;
    }
}
