using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace UserPages.Data;

/// <summary>
/// A position in the listing, which is in signup order: the id of the user an Older or Newer link continues from.
/// Keyset pagination seeks to it through the primary key instead of counting past rows with OFFSET, so page 1 and
/// page 20,000 cost the same.
/// </summary>
public readonly record struct ListingCursor(long Id)
{
    public static ListingCursor For(User user) => new(user.Id);

    /// <summary>The URL form: the id, e.g. <c>42</c>.</summary>
    public override string ToString() => Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the id form, and the <c>ticks_id</c> form of links made before the listing was in id order, by its id.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ListingCursor? cursor)
    {
        cursor = null;
        var idText = text?.Split('_') switch
        {
            [var id] => id,
            [var ticks, var id] when Digits(ticks) && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at <= DateTime.MaxValue.Ticks => id,
            _ => null,
        };
        if (!Digits(idText) || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            return false;
        }

        cursor = new ListingCursor(parsed);
        return true;
    }

    // long.TryParse also takes trailing NULs; a position is ASCII digits and nothing else.
    private static bool Digits(string? text) => text is { Length: > 0 } && text.All(char.IsAsciiDigit);
}

/// <summary>
/// One page of the listing or of a search, newest first, with the cursors of the neighbouring pages if there are any,
/// and for a search the users it matches, counted up to one more than a page (null for the plain listing).
/// </summary>
public sealed record ListingPage(IReadOnlyList<User> Users, ListingCursor? Older, ListingCursor? Newer, long? Matches = null)
{
    public static readonly ListingPage Empty = new([], null, null);

    /// <summary>
    /// The page from rows read with one more than <paramref name="pageSize"/> (which tells whether another page lies
    /// beyond), newest first, or oldest first when read <paramref name="newer"/> than <paramref name="cursor"/>.
    /// </summary>
    public static ListingPage FromRows(List<User> rows, int pageSize, ListingCursor? cursor, bool newer)
    {
        var more = rows.Count > pageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (newer)
        {
            rows.Reverse();
        }

        // Coming from a newer page means one exists, and the same for older; the extra row answers the other side.
        return rows.Count == 0 ? new ListingPage(rows, null, null)
            : newer ? new ListingPage(rows, ListingCursor.For(rows[^1]), more ? ListingCursor.For(rows[0]) : null)
            : new ListingPage(rows, more ? ListingCursor.For(rows[^1]) : null, cursor is null ? null : ListingCursor.For(rows[0]));
    }
}
