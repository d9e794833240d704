using Microsoft.AspNetCore.Mvc;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>The listing's query string: a search term and the position of an Older or Newer link.</summary>
public sealed class ListingInput
{
    public const string SearchKey = "q";

    // The address's own words, kept for the links already out there: "before" a position is older, "after" newer.
    public const string OlderKey = "before";
    public const string NewerKey = "after";

    [FromQuery(Name = SearchKey)]
    public string? Search { get; set; }

    /// <summary>An Older link's position, as sent.</summary>
    [FromQuery(Name = OlderKey)]
    public string? Older { get; set; }

    /// <summary>A Newer link's position, as sent.</summary>
    [FromQuery(Name = NewerKey)]
    public string? Newer { get; set; }

    /// <summary>The page is older than this position (an Older link); null on the newest page or when unreadable.</summary>
    public ListingCursor? OlderThan => ListingCursor.TryParse(Older, out var cursor) ? cursor : null;

    /// <summary>The page is newer than this position (a Newer link); null when absent or unreadable.</summary>
    public ListingCursor? NewerThan => ListingCursor.TryParse(Newer, out var cursor) ? cursor : null;

    /// <summary>The query as checked and searched for: a blank term is no search, and the spaces around a term are not part of it.</summary>
    public ListingInput Normalized() => new()
    {
        Search = Search is not null && InputText.TrimSpaces(Search) is { Length: > 0 } term ? term : null,
        Older = Older,
        Newer = Newer,
    };
}
