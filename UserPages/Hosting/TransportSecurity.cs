using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace UserPages.Hosting;

/// <summary>
/// HTTPS, HSTS, cookies and the proxy in front: <c>TransportSecurity:*</c>. The defaults suit a Production app that
/// terminates TLS itself; behind a TLS-terminating proxy turn on <see cref="ForwardedHeaders"/> and name the proxy,
/// so the app sees the client's scheme and address but nobody else can claim to be a proxy.
/// </summary>
public sealed class TransportSecurityOptions : IValidatableObject
{
    public const string SectionName = "TransportSecurity";

    /// <summary>Redirect http to https (only once an https port is known: Kestrel's https endpoint or <see cref="HttpsPort"/>).</summary>
    public bool HttpsRedirection { get; set; } = true;

    /// <summary>The public https port to redirect to when the app itself listens on http only (behind a proxy).</summary>
    [Range(1, 65535)]
    public int? HttpsPort { get; set; }

    /// <summary>Send Strict-Transport-Security on https responses (never for localhost).</summary>
    public bool Hsts { get; set; } = true;

    [Range(1, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>Honour X-Forwarded-For and X-Forwarded-Proto, from <see cref="KnownProxies"/> and <see cref="KnownNetworks"/> only.</summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>Proxy addresses trusted to forward; empty means loopback only (a proxy on the same host).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form (<c>10.0.0.0/8</c>) trusted to forward.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies deep to believe X-Forwarded-For.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>
    /// When cookies carry Secure. SameAsRequest (the default) marks them Secure on every https request, which with
    /// HTTPS redirection is every real request, and still lets plain-http local runs and tests keep a session;
    /// Always refuses to set them over http at all.
    /// </summary>
    public CookieSecurePolicy CookieSecurePolicy { get; set; } = CookieSecurePolicy.SameAsRequest;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownProxies: '{proxy}' is not an IP address.");
        }

        foreach (var network in KnownNetworks.Where(network => !System.Net.IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownNetworks: '{network}' is not a CIDR network like 10.0.0.0/8.");
        }
    }
}

public static class TransportSecurity
{
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransportSecurityOptions>()
            .Bind(configuration.GetSection(TransportSecurityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportSecurityOptions>>((forwarded, transport) =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = transport.Value.ForwardLimit;
            if (transport.Value.KnownProxies.Length + transport.Value.KnownNetworks.Length > 0)
            {
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in transport.Value.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in transport.Value.KnownNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            }
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<TransportSecurityOptions>>((hsts, transport) =>
            hsts.MaxAge = TimeSpan.FromDays(transport.Value.HstsMaxAgeDays));
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<TransportSecurityOptions>>((redirection, transport) =>
            redirection.HttpsPort = transport.Value.HttpsPort);
        services.AddOptions<CookiePolicyOptions>().Configure<IOptions<TransportSecurityOptions>>((cookies, transport) =>
        {
            // Session cookies (antiforgery, TempData) are never for script, and never sent along from other sites.
            cookies.HttpOnly = HttpOnlyPolicy.Always;
            cookies.MinimumSameSitePolicy = SameSiteMode.Strict;
            cookies.Secure = transport.Value.CookieSecurePolicy;
        });
        return services;
    }

    /// <summary>Forwarded headers first of all, so every later step sees the client's real scheme and address.</summary>
    public static IApplicationBuilder UseForwardedHeadersIfProxied(this IApplicationBuilder app)
    {
        var transport = app.ApplicationServices.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        return transport.ForwardedHeaders ? app.UseForwardedHeaders() : app;
    }

    public static IApplicationBuilder UseTransportSecurity(this IApplicationBuilder app)
    {
        var transport = app.ApplicationServices.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        if (transport.Hsts)
        {
            app.UseHsts();
        }

        if (transport.HttpsRedirection)
        {
            app.UseHttpsRedirection();
        }

        return app.UseCookiePolicy();
    }
}
