namespace UserPages.Pages;

/// <summary>The one-time message shown after a redirect (Post/Redirect/Get); the layout renders and consumes it.</summary>
public static class FlashMessage
{
    public const string Key = "Flash";
}
