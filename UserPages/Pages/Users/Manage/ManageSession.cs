using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using UserPages.Hosting;

namespace UserPages.Pages.Users.Manage;

/// <summary>
/// The manage session a used manage link opens: a cookie of its own scheme, signed and encrypted with the shared Data
/// Protection keys (so any instance accepts it), holding only the entry's id, and ending
/// <c>Signup:ManageSessionLifetime</c> after it was opened, however busy it was.
/// </summary>
public static class ManageSession
{
    public const string Scheme = "Manage";

    /// <summary>What the friendly 404 says when the session's entry is gone.</summary>
    public const string EntryGone = "Your entry does not exist any more: it was deleted, and nothing is stored under it now.";

    private const string EntryIdClaim = "entry";

    public static IServiceCollection AddManageSession(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme);

        // Not the default scheme, though it is the only one (which ASP.NET Core would make it): every request would then
        // carry the session as its user, antiforgery would bind each form to it, and a form sent after the session ended
        // would be refused as forged instead of being sent to ask for a new link. The pages read it by name.
        services.AddSingleton<IAuthenticationSchemeProvider, NoDefaultScheme>();
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<SignupOptions>, IOptions<TransportSecurityOptions>>((cookie, signup, transport) =>
        {
            cookie.Cookie.Name = "UserPages.Manage";
            // Only the pages under /users need it; the browser sends it nowhere else.
            cookie.Cookie.Path = "/users";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = transport.Value.CookieSecurePolicy;
            cookie.ExpireTimeSpan = signup.Value.ManageSessionLifetime;
            // An absolute end: a stolen cookie is worth at most one session, however long it is kept busy.
            cookie.SlidingExpiration = false;
        });
        return services;
    }

    /// <summary>Opens a session for the entry; the browser drops the cookie when the session ends.</summary>
    public static Task OpenAsync(HttpContext context, long entryId) =>
        context.SignInAsync(
            Scheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(EntryIdClaim, entryId.ToString(CultureInfo.InvariantCulture))], Scheme)),
            new AuthenticationProperties { IsPersistent = true });

    /// <summary>The id of the entry this request's session manages, or null when it has none (never had, or ended).</summary>
    public static async Task<long?> EntryIdAsync(HttpContext context) =>
        await context.AuthenticateAsync(Scheme) is { Succeeded: true, Principal: { } principal }
        && long.TryParse(principal.FindFirst(EntryIdClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    public static Task CloseAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>The answer to a request that needs a session and has none: the manage page, saying why.</summary>
    public static RedirectToPageResult Ended(PageModel page)
    {
        page.TempData[nameof(IndexModel.SessionEnded)] = "Your manage session has ended (each lasts a short while). Ask for a new link below.";
        return page.RedirectToPage("/Users/Manage/Index");
    }

    private sealed class NoDefaultScheme(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
    {
        public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

        public override Task<AuthenticationScheme?> GetDefaultChallengeSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

        public override Task<AuthenticationScheme?> GetDefaultForbidSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

        public override Task<AuthenticationScheme?> GetDefaultSignInSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);

        public override Task<AuthenticationScheme?> GetDefaultSignOutSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);
    }
}
