using System.ComponentModel.DataAnnotations;

namespace UserPages.Hosting;

/// <summary>
/// The response headers that tell browsers what this site never does: run inline or foreign script, be framed,
/// leak full URLs to other sites, or use the camera. <c>SecurityHeaders:*</c> overrides each one.
/// </summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "SecurityHeaders";

    // Every script and style comes from a file on this origin, so nothing inline is allowed; form-action and
    // base-uri stop injected markup from redirecting a form or every relative link.
    [Required]
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Required]
    public string ReferrerPolicy { get; set; } = "strict-origin-when-cross-origin";

    [Required]
    public string PermissionsPolicy { get; set; } =
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
}

public static class SecurityHeaders
{
    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityHeadersOptions>()
            .Bind(configuration.GetSection(SecurityHeadersOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Adds the headers to every response, error pages included (set when the response starts, so a
    /// handled exception that clears the response does not drop them).</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityHeadersOptions>>().Value;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // A page that carries a token in its address sets no-referrer itself; that one stands.
                if (!headers.ContainsKey("Referrer-Policy"))
                {
                    headers["Referrer-Policy"] = options.ReferrerPolicy;
                }

                headers["Permissions-Policy"] = options.PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
