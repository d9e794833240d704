using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;

namespace UserPages.Pages.Users;

/// <summary>
/// What a username and an email may hold, with their messages: one set of rules for the signup form and every form
/// that changes an entry, so no form accepts what another refuses.
/// </summary>
public static partial class EntryRules
{
    public static IRuleBuilderOptions<T, string?> ValidUsername<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter a username.")
            .Length(SignupValidator.UsernameMinLength, SignupValidator.UsernameMaxLength)
            .WithMessage($"A username is {SignupValidator.UsernameMinLength} to {SignupValidator.UsernameMaxLength} characters long.")
            .Matches(UsernameCharacters()).WithMessage(SignupValidator.UsernameCharactersMessage);

    // ASCII only (after NFKC, so full-width forms still pass): a masked address like "a***@exаmple.com" must not
    // hide a Cyrillic look-alike, and no mail we would send needs SMTPUTF8. International domains are written in
    // their xn-- form.
    public static IRuleBuilderOptions<T, string?> ValidEmail<T>(this IRuleBuilderInitial<T, string?> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter an email address.")
            .MaximumLength(SignupValidator.EmailMaxLength).WithMessage($"An email address is at most {SignupValidator.EmailMaxLength} characters long.")
            .Must(email => Ascii.IsValid(email)).WithMessage("Use only plain ASCII characters in an email address (write an international domain in its xn-- form).")
            .Matches(PlausibleEmail()).WithMessage(SignupValidator.EmailFormatMessage);

    [GeneratedRegex(@"\A[A-Za-z0-9._-]+\z")]
    private static partial Regex UsernameCharacters();

    // local@host.domain, the local part exactly what the browser's own <input type=email> accepts (the WHATWG "valid
    // email address": no spaces, quotes, brackets, backslashes or control characters), the domain letters, digits
    // and hyphens in two or more labels.
    [GeneratedRegex(@"\A[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\z")]
    private static partial Regex PlausibleEmail();
}
