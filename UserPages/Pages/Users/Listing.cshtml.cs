using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>The public listing: newest first, keyset-paged, searchable by username or email.</summary>
public sealed class ListingModel(Database database, UserRepository users, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    // The search indexes (migration IndexUserSearch) work on three-character pieces; a shorter term could only be
    // found by reading every row, about half a second at a million users, so it is refused instead.
    public const int SearchMinLength = SqlDialect.TrigramLength;
    public const int SearchMaxLength = 100;

    /// <summary>A search counts its matches up to here; past it the page says "more than".</summary>
    public const int MatchCountLimit = 1000;

    public string? Search { get; private set; }

    /// <summary>Why the search term cannot be searched for (the page answers 400 and lists no one), or null.</summary>
    public string? SearchError { get; private set; }

    public ListingPage Listing { get; private set; } = new([], null, null);

    public long Total { get; private set; }

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(string? q, string? before, string? after, CancellationToken cancellationToken)
    {
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        // The maximum counted as the box's maxlength does; the form comes back without a term that long.
        if (Search is { Length: > SearchMaxLength })
        {
            Search = null;
            return RefusedSearch($"A search is at most {SearchMaxLength} characters long.");
        }

        if (Search is not null && !SqlDialect.HasTrigram(Search))
        {
            return RefusedSearch($"Type at least {SearchMinLength} characters to search.");
        }

        ListingCursor? older = null, newer = null;
        if ((before is not null && after is not null)
            || (before is not null && !ListingCursor.TryParse(before, out older))
            || (after is not null && !ListingCursor.TryParse(after, out newer)))
        {
            return BadRequest();
        }

        await using var unit = await database.BeginReadAsync(cancellationToken);
        Listing = await users.ListAsync(unit, new ListingQuery(Search, older, newer, PageSize), cancellationToken);
        Total = Search is null ? await users.CountAsync(unit, cancellationToken)
            // A search whose matches all fit on one page has counted them already; a rare term is not looked up twice.
            : Listing is { Older: null, Newer: null } ? Listing.Users.Count
            : await users.CountMatchesAsync(unit, Search, MatchCountLimit, cancellationToken);
        return Page();
    }

    private PageResult RefusedSearch(string message)
    {
        SearchError = message;
        var page = Page();
        page.StatusCode = StatusCodes.Status400BadRequest;
        return page;
    }
}
