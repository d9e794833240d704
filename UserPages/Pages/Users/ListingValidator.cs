using FluentValidation;
using UserPages.Data;

namespace UserPages.Pages.Users;

/// <summary>The rules for the listing's query string; the search box's HTML attributes mirror the term's.</summary>
public sealed class ListingValidator : AbstractValidator<ListingInput>
{
    // The search indexes (migration IndexUserSearch) work on three-character pieces; a shorter term could only be
    // found by reading every row, so it is refused instead.
    public const int SearchMinLength = UserSearch.TrigramLength;
    public const int SearchMaxLength = 100;

    /// <summary>NUL, line breaks, escapes and the like: nothing a person searches for, and nothing stored.</summary>
    public static bool HasControlCharacters(string? term) => term is not null && term.Any(char.IsControl);

    public ListingValidator()
    {
        // The maximum counted as the box's maxlength counts (UTF-16 units), the minimum as the indexes do.
        RuleFor(input => input.Search).Cascade(CascadeMode.Stop)
            .MaximumLength(SearchMaxLength).WithMessage($"A search is at most {SearchMaxLength} characters long.")
            // No stored username or email holds one, and PostgreSQL refuses NUL in text, as SQLite's FTS5 does in a
            // MATCH: refused here, a NUL is the client's mistake rather than a database failure.
            .Must(term => !HasControlCharacters(term)).WithMessage("A search cannot contain control characters.")
            .Must(term => UserSearch.HasTrigram(term!)).WithMessage($"Type at least {SearchMinLength} characters to search.")
            .When(input => input.Search is not null);

        // Cursors come from the page's own Older and Newer links, one at a time; anything else was typed or forged.
        RuleFor(input => input.Older)
            .Must(text => ListingCursor.TryParse(text, out _)).WithMessage("Not a position in the listing.")
            .When(input => input.Older is not null);
        RuleFor(input => input.Newer)
            .Must(text => ListingCursor.TryParse(text, out _)).WithMessage("Not a position in the listing.")
            .When(input => input.Newer is not null);
        RuleFor(input => input.Newer)
            .Null().WithMessage("A page is older or newer than a position, not both.")
            .When(input => input.Older is not null);
    }
}
