using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace UserPages.Data;

/// <summary>
/// A position in the listing order (created_at, id), carried in "Older"/"Newer" links. Keyset pagination seeks to
/// it through the index instead of counting past rows with OFFSET, so page 1 and page 20,000 cost the same.
/// </summary>
public readonly record struct ListingCursor(DateTime CreatedAt, long Id)
{
    public static ListingCursor For(User user) => new(user.CreatedAt, user.Id);

    /// <summary>The URL form: UTC ticks and id, e.g. <c>638999000000000000_42</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.Ticks}_{Id}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out ListingCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('_');
        if (parts is not [var ticksText, var idText]
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || ticks > DateTime.MaxValue.Ticks
            || id < 1)
        {
            return false;
        }

        cursor = new ListingCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        return true;
    }
}
