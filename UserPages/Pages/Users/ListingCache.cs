using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using UserPages.Data;

namespace UserPages.Pages.Users;

public sealed class ListingCacheOptions
{
    public const string SectionName = "ListingCache";

    /// <summary>What the kept pages may hold in all, in bytes of response; the least recently used go first.</summary>
    [Range(0, long.MaxValue)]
    public long SizeLimitBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// Keeps the plain listing's rendered pages between requests, exact on every one of them: a page is kept under the
/// users' version, which the database raises with every write from any process (migration VersionTheUsers), and the
/// clock minute, the only other thing the page depends on (<see cref="RelativeTime.Ago"/>). Each request reads the
/// version, one row, and serves the kept page only if it was rendered for that version in this minute. Searches are
/// never kept: every one runs (docs/performance.md#the-listing-kept-per-version). Neither is the one-time welcome:
/// a request that carries it is neither answered from nor stored in the cache.
/// </summary>
public sealed class ListingCachePolicy : IOutputCachePolicy
{
    public const string Name = "Listing";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var request = context.HttpContext.Request;
        var services = context.HttpContext.RequestServices;
        var tempDataCookie = services.GetRequiredService<IOptions<CookieTempDataProviderOptions>>().Value.Cookie.Name!;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.Query.ContainsKey(ListingInput.SearchKey)
            || request.Cookies.ContainsKey(tempDataCookie))
        {
            return;
        }

        var database = services.GetRequiredService<Database>();
        await using var unit = await database.BeginReadAsync(cancellationToken);
        var version = await services.GetRequiredService<UserRepository>().VersionAsync(unit, cancellationToken);
        var minute = RelativeTime.Minute(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        // Many requests for the same missing page wait for the first one to render it instead of all rendering it.
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Tags.Add(ListingCacheStore.VersionTag(version));
        context.CacheVaryByRules.VaryByValues["minute"] = minute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A copy from a past minute can never be asked for again: it goes as soon as the minute is over.
        context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(1);
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        // Only a whole 200 page is kept: not a refused cursor (400), and nothing that sets a cookie.
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0)
        {
            context.AllowCacheStorage = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The kept pages, in memory, within <see cref="ListingCacheOptions.SizeLimitBytes"/>. Pages of a version older than
/// the newest one kept can never be asked for again, so they are dropped as soon as a newer one is kept: under a stream
/// of signups the store holds the current pages, not seconds of superseded ones.
/// </summary>
public sealed class ListingCacheStore(IOptions<ListingCacheOptions> options) : IOutputCacheStore, IDisposable
{
    private const string VersionTagPrefix = "users-version:";

    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = options.Value.SizeLimitBytes, TrackStatistics = true });
    private readonly Lock _newestLock = new();
    private long _newestVersion = -1;
    private CancellationTokenSource _newestPages = new();

    /// <summary>The tag a page rendered for this version of the users is kept under.</summary>
    public static string VersionTag(long version) => VersionTagPrefix + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bytes held now; never more than the limit (MemoryCache refuses what would not fit, then compacts).</summary>
    public long SizeBytes => _pages.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public long Count => _pages.Count;

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pages.Get<byte[]>(key));

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var entry = new MemoryCacheEntryOptions { Size = value.Length + key.Length * sizeof(char), AbsoluteExpirationRelativeToNow = validFor };
        if (tags?.FirstOrDefault(tag => tag.StartsWith(VersionTagPrefix, StringComparison.Ordinal)) is { } tag)
        {
            var version = long.Parse(tag.AsSpan(VersionTagPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);
            lock (_newestLock)
            {
                if (version < _newestVersion)
                {
                    return ValueTask.CompletedTask; // rendered by a request that read the version before a newer commit
                }

                if (version > _newestVersion)
                {
                    // Not disposed: a page being stored right now may still register on its token.
                    _newestPages.Cancel();
                    _newestPages = new CancellationTokenSource();
                    _newestVersion = version;
                }

                entry.ExpirationTokens.Add(new CancellationChangeToken(_newestPages.Token));
            }
        }

        _pages.Set(key, value, entry);
        return ValueTask.CompletedTask;
    }

    // Pages are never evicted by tag: a new version makes a new key.
    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Dispose()
    {
        _pages.Dispose();
        _newestPages.Dispose();
    }
}

/// <summary>
/// Sends the TempData cookie's deletion only to a browser that has one. The framework's provider sends an expired
/// cookie with every page that reads TempData, as the listing does for its welcome, and a response that sets a cookie
/// is never kept.
/// </summary>
public sealed class OnlyWhenNeededTempDataProvider(CookieTempDataProvider cookies, IOptions<CookieTempDataProviderOptions> options) : ITempDataProvider
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

public static class ListingCache
{
    public static IServiceCollection AddListingCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ListingCacheOptions>()
            .Bind(configuration.GetSection(ListingCacheOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOutputCache(options =>
        {
            options.AddPolicy(ListingCachePolicy.Name, new ListingCachePolicy());
            options.SizeLimit = long.MaxValue; // the store below keeps to its own limit
        });
        services.AddSingleton<CookieTempDataProvider>();
        services.Replace(ServiceDescriptor.Singleton<ITempDataProvider, OnlyWhenNeededTempDataProvider>());
        services.AddSingleton<ListingCacheStore>();
        services.AddSingleton<IOutputCacheStore>(provider => provider.GetRequiredService<ListingCacheStore>());
        return services;
    }
}
