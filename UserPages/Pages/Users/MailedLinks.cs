using UserPages.Mail;

namespace UserPages.Pages.Users;

/// <summary>
/// In Development with mail going to the pickup folder, a page that mailed a link shows it too, as ASP.NET Core
/// Identity's default UI does without a mail sender, so <c>dotnet run</c> works end to end. Nowhere else.
/// </summary>
public sealed class MailedLinks(IWebHostEnvironment environment, IMailDelivery delivery)
{
    public bool AreShown { get; } = environment.IsDevelopment() && delivery is PickupFolderDelivery;

    /// <summary>The link as the page may show it: itself in Development with the pickup folder, otherwise null.</summary>
    public string? Shown(Uri? link) => AreShown ? link?.AbsoluteUri : null;
}
