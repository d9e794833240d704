using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary><c>ListingCache:SizeLimitBytes</c>: what the kept listing pages may hold in all.</summary>
public sealed class ListingCacheOptions
{
    public const string SectionName = "ListingCache";

    /// <summary>What the kept pages may hold in all, in bytes of response; the least recently used go first.</summary>
    [Range(0, long.MaxValue)]
    public long SizeLimitBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// The kept listing pages, in memory, within <see cref="ListingCacheOptions.SizeLimitBytes"/>. Pages of a version older
/// than the newest one admitted can never be asked for again, so they are dropped as soon as a newer one is admitted:
/// under a stream of signups the store holds the current pages, not seconds of superseded ones.
/// </summary>
public sealed class ListingCacheStore(IOptions<ListingCacheOptions> options) : IOutputCacheStore, IDisposable
{
    private readonly MemoryCache _pages = new(new MemoryCacheOptions { SizeLimit = options.Value.SizeLimitBytes, TrackStatistics = true });
    private readonly Lock _newestLock = new();
    private UsersVersion _newest = new(-1);
    private CancellationTokenSource _newestPages = new();

    /// <summary>Bytes held now; never more than the limit (MemoryCache refuses what would not fit, then compacts).</summary>
    public long SizeBytes => _pages.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public long Count => _pages.Count;

    /// <summary>
    /// Whether a page rendered for <paramref name="version"/> may be kept: not when a newer version's pages are kept
    /// already (it was rendered by a request that read the version before a newer commit). A newer version drops the
    /// pages kept before it.
    /// </summary>
    public bool Admit(UsersVersion version)
    {
        lock (_newestLock)
        {
            if (version.Value < _newest.Value)
            {
                return false;
            }

            if (version.Value > _newest.Value)
            {
                // Not disposed: a page being stored right now may still register on its token.
                _newestPages.Cancel();
                _newestPages = new CancellationTokenSource();
                _newest = version;
            }

            return true;
        }
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pages.Get<byte[]>(key));

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var entry = new MemoryCacheEntryOptions { Size = value.Length + key.Length * sizeof(char), AbsoluteExpirationRelativeToNow = validFor };
        lock (_newestLock)
        {
            entry.ExpirationTokens.Add(new CancellationChangeToken(_newestPages.Token));
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
