using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserPages.Telemetry;

namespace UserPages.Hosting;

/// <summary>How many signups one client address may post per window: <c>RateLimiting:*</c>.</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Off for benchmarks and load tests that post from one address.</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int SignupsPerWindow { get; set; } = 10;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Signup posts are limited per client address with ASP.NET Core's rate limiter; reading pages is never limited.
/// A rejected post gets 429 with Retry-After and the friendly error page, and nothing is stored.
/// </summary>
public static class SignupRateLimiting
{
    public const string Policy = "signup";

    public static IServiceCollection AddSignupRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>()
            .Bind(configuration.GetSection(RateLimitingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((limiter, configured) =>
        {
            var settings = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
                settings.Enabled && HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.SignupsPerWindow,
                        Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<UserPagesMetrics>().SignupRefused(SignupRefusal.RateLimited);

                // No body here: the status code page renders the friendly 429 page.
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>
    /// The client's address as the connection (or a trusted proxy, see TransportSecurity) reports it; IPv4 seen through
    /// an IPv6 socket counts as the same client.
    /// </summary>
    public static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress switch
        {
            null => "unknown",
            { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
            IPAddress address => address.ToString(),
        };
}
