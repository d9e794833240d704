using System.Diagnostics;
using FluentValidation;
using FluentValidation.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using UserPages.Data;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>The public listing: newest first, keyset-paged, searchable by username or email.</summary>
[OutputCache(PolicyName = ListingCachePolicy.Name)]
public sealed class ListingModel(
    IValidator<ListingInput> validator, ListingSnapshot snapshot, UserRepository users, UserSearch search, TimeProvider clock, UserPagesMetrics metrics) : PageModel
{
    public const int PageSize = 50;

    /// <summary>A search counts its matches only as far as a page; past it the page says "more than" (docs/performance.md#the-count-stops-at-a-page).</summary>
    public const int MatchCountLimit = PageSize;

    /// <summary>The one-time welcome after a signup, which redirects here (Post/Redirect/Get); reading it uses it up.</summary>
    [TempData]
    public string? Welcome { get; set; }

    public string? Search { get; private set; }

    /// <summary>Why the search term cannot be searched for (the page answers 400 and lists no one), or null.</summary>
    public string? SearchError =>
        ModelState.TryGetValue(nameof(ListingInput.Search), out var entry) && entry.Errors is [var error, ..] ? error.ErrorMessage : null;

    public ListingPage Listing { get; private set; } = ListingPage.Empty;

    public long Total { get; private set; }

    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    // No prefix: the fields are the query string's own q, before and after, whatever else it holds.
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "")] ListingInput input, CancellationToken cancellationToken)
    {
        input = input.Normalized();
        var validation = await validator.ValidateAsync(input, cancellationToken);
        validation.AddToModelState(ModelState);
        Search = input.Search;
        if (SearchError is not null)
        {
            // The form comes back without a term longer than the box accepts, or one it could not show.
            if (Search is { Length: > ListingValidator.SearchMaxLength } || ListingValidator.HasControlCharacters(Search))
            {
                Search = null;
            }

            var page = Page();
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        }

        // A cursor that is not one of ours is not worth a message beside the box: the plain 400 page.
        if (!ModelState.IsValid)
        {
            return BadRequest();
        }

        var started = Stopwatch.GetTimestamp();
        await using var unit = await snapshot.TakeUnitAsync(cancellationToken);
        Listing = Search is null
            ? await users.ListAsync(unit, input.OlderThan, input.NewerThan, PageSize, cancellationToken)
            : await search.SearchAsync(unit, Search, input.OlderThan, input.NewerThan, PageSize, cancellationToken);
        Total = Listing.Matches ?? await users.CountAsync(unit, cancellationToken);
        metrics.ListingServed(search: Search is not null, Stopwatch.GetElapsedTime(started));
        return Page();
    }
}
