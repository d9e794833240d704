namespace UserPages.Pages.Users;

/// <summary>Email addresses are private: public pages show only the first character and the domain.</summary>
public static class EmailMask
{
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at < 1 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
