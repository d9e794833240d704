using Microsoft.AspNetCore.Mvc;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>The listing's query string: a search term and the cursor of an Older or Newer link.</summary>
public sealed class ListingInput
{
    public const string SearchKey = "q";

    [FromQuery(Name = SearchKey)]
    public string? Search { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    /// <summary>The page after this position (an Older link); null on the newest page or when unreadable.</summary>
    public ListingCursor? Older => ListingCursor.TryParse(Before, out var cursor) ? cursor : null;

    /// <summary>The page before this position (a Newer link); null when absent or unreadable.</summary>
    public ListingCursor? Newer => ListingCursor.TryParse(After, out var cursor) ? cursor : null;

    /// <summary>The query as checked and searched for: a blank term is no search, and the spaces around a term are not part of it.</summary>
    public ListingInput Normalized() => new()
    {
        Search = Search is not null && InputText.TrimSpaces(Search) is { Length: > 0 } term ? term : null,
        Before = Before,
        After = After,
    };
}
