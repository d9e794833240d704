using System.Text;

namespace UserPages.Pages.Users;

/// <summary>The signup form as posted.</summary>
public sealed class SignupInput
{
    public string? Username { get; set; }

    public string? Email { get; set; }

    /// <summary>
    /// The form as it will be checked and stored: NFKC-normalised (so look-alike compatibility forms fold together)
    /// and trimmed of spaces; the email lower-cased.
    /// </summary>
    public SignupInput Normalized() => new()
    {
        Username = Username is null ? null : InputText.TrimSpaces(Username.Normalize(NormalizationForm.FormKC)),
        Email = Email is null ? null : InputText.TrimSpaces(Email.Normalize(NormalizationForm.FormKC)).ToLowerInvariant(),
    };
}
