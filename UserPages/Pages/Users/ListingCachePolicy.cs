using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace UserPages.Pages.Users;

/// <summary>
/// Keeps the plain listing's rendered pages between requests, exact on every one of them: a page is kept under the
/// users' version, which the database raises with every write from any process (migration VersionTheUsers), and the
/// clock minute, the only other thing the page depends on (<see cref="RelativeTime.Ago"/>). Each request reads the
/// version, one row, and is served a kept page only if it was rendered for that version in this minute. Searches are
/// never kept, nor a request that carries the one-time welcome (docs/performance.md#the-listing-kept-per-version).
/// </summary>
public sealed class ListingCachePolicy(ListingCacheStore store, TimeProvider clock, IOptions<CookieTempDataProviderOptions> tempData) : IOutputCachePolicy
{
    public const string Name = "Listing";

    private readonly string _tempDataCookie = tempData.Value.Cookie.Name!;

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var request = context.HttpContext.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.Query.ContainsKey(ListingInput.SearchKey)
            || request.Cookies.ContainsKey(_tempDataCookie))
        {
            return;
        }

        // One policy serves every request; the request's own snapshot lives in its scope.
        var version = await Snapshot(context).ReadVersionAsync(cancellationToken);
        var minute = RelativeTime.Minute(clock.GetUtcNow().UtcDateTime);

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        // Many requests for the same missing page wait for the first one to render it instead of all rendering it.
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["version"] = version.Value.ToString(CultureInfo.InvariantCulture);
        context.CacheVaryByRules.VaryByValues["minute"] = minute.ToString(CultureInfo.InvariantCulture);
        // A copy from a past minute can never be asked for again: it goes as soon as the minute is over.
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(1);
    }

    // A kept page needs no database: the read unit ends before the bytes are sent.
    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        Snapshot(context).DisposeAsync();

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        // Only a whole 200 page of the newest version is kept: not a refused cursor (400), nothing that sets a cookie.
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || Snapshot(context).Version is not { } version || !store.Admit(version))
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }

    private static ListingSnapshot Snapshot(OutputCacheContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<ListingSnapshot>();
}
