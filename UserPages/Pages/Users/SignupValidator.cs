using FluentValidation;

namespace UserPages.Pages.Users;

/// <summary>The rules a signup must meet before any insert (<see cref="EntryRules"/>); the form's HTML patterns are a looser copy of them.</summary>
public sealed class SignupValidator : AbstractValidator<SignupInput>
{
    public const int UsernameMinLength = 3;
    public const int UsernameMaxLength = 40;
    public const int EmailMaxLength = 255;

    public const string UsernameCharactersMessage = "Use only letters, digits, '.', '_' and '-' in a username.";
    public const string EmailFormatMessage = "Enter an email address like name@example.com.";

    // The browser refuses only what these rules refuse: the spaces trimmed (\p{Z}) may surround a value, a non-ASCII
    // character is left to the server (NFKC may fold it to ASCII), and so are lengths (the browser counts before both).
    /// <summary>The username characters as an HTML <c>pattern</c> (anchored, v-flag), its refusal <see cref="UsernameCharactersMessage"/>.</summary>
    public const string UsernameHtmlPattern = @"\p{Z}*[A-Za-z0-9._\-\P{ASCII}]+\p{Z}*";

    /// <summary>The plausible email of <see cref="EntryRules"/> as an HTML <c>pattern</c>, any non-ASCII value left to the server; its refusal <see cref="EmailFormatMessage"/>.</summary>
    public const string EmailHtmlPattern = @"\p{Z}*(?:[A-Za-z0-9.!#$%&'*+\/=?^_`\{\|\}~\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+|.*\P{ASCII}.*)\p{Z}*";

    public SignupValidator()
    {
        RuleFor(input => input.Username).ValidUsername();
        RuleFor(input => input.Email).ValidEmail();
    }
}
