using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace UserPages.Hosting;

/// <summary>The largest request body accepted: <c>RequestLimits:MaxBodyBytes</c>. A signup form is well under 1 KiB.</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>
/// Oversized bodies are refused before anything reads them: a declared length over the limit is a 413 with the
/// friendly page; a body that only turns out too long while streaming fails the form read, which is a 400.
/// </summary>
public static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestLimitsOptions>()
            .Bind(configuration.GetSection(RequestLimitsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestLimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxBodyBytes);
        services.AddOptions<FormOptions>().Configure<IOptions<RequestLimitsOptions>>((form, limits) =>
        {
            form.BufferBodyLengthLimit = limits.Value.MaxBodyBytes;
            form.MultipartBodyLengthLimit = limits.Value.MaxBodyBytes;
            form.ValueLengthLimit = (int)limits.Value.MaxBodyBytes;
        });
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var maxBodyBytes = app.ApplicationServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxBodyBytes;
        return app.Use((context, next) =>
        {
            // The re-executed error page sees the same request headers; let it render.
            if (context.Request.ContentLength > maxBodyBytes && context.Features.Get<IStatusCodeReExecuteFeature>() is null)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
