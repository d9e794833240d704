namespace UserPages.Hosting;

/// <summary>
/// Every error ends on the friendly error page (<c>Pages/Error.cshtml</c>): every 4xx/5xx status without a body, and
/// outside Development every exception, the expected ones answered by <see cref="ExpectedFailureHandler"/>.
/// </summary>
public static class FriendlyErrors
{
    public static IServiceCollection AddFriendlyErrors(this IServiceCollection services) =>
        services.AddExceptionHandler<ExpectedFailureHandler>();

    public static IApplicationBuilder UseFriendlyErrors(this WebApplication app)
    {
        // Outside the exception handler, so that the statuses its handler sets without a body get the page too.
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        if (!app.Environment.IsDevelopment())
        {
            // Whatever ExpectedFailureHandler does not take is a 500: logged, and re-executed to the page.
            app.UseExceptionHandler("/error");
        }

        return app;
    }
}
