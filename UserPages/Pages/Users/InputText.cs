namespace UserPages.Pages.Users;

/// <summary>How typed text is tidied before the rules see it.</summary>
public static class InputText
{
    // Whitespace that is not a control character. A tab, line break or NEL is not trimmed away unseen: it is refused,
    // as anywhere else in a value.
    private static readonly char[] Spaces =
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(code => (char)code).Where(c => char.IsWhiteSpace(c) && !char.IsControl(c))];

    /// <summary>The text without the spaces around it.</summary>
    public static string TrimSpaces(string text) => text.Trim(Spaces);
}
