using FluentValidation;

namespace UserPages.Pages.Users.Manage;

/// <summary>The address a manage link is asked for.</summary>
public sealed class ManageLinkInput
{
    public string? Email { get; set; }

    /// <summary>Tidied as a signup's email is: NFKC, trimmed, lower-cased.</summary>
    public ManageLinkInput Normalized() => new() { Email = new SignupInput { Email = Email }.Normalized().Email };
}

public sealed class ManageLinkValidator : AbstractValidator<ManageLinkInput>
{
    public ManageLinkValidator() => RuleFor(input => input.Email).ValidEmail();
}

/// <summary>The username an entry is to have.</summary>
public sealed class RenameInput
{
    public string? Username { get; set; }

    /// <summary>Tidied as a signup's username is: NFKC, trimmed.</summary>
    public RenameInput Normalized() => new() { Username = new SignupInput { Username = Username }.Normalized().Username };
}

public sealed class RenameValidator : AbstractValidator<RenameInput>
{
    public RenameValidator() => RuleFor(input => input.Username).ValidUsername();
}

/// <summary>The address an entry is to move to, once that address confirms.</summary>
public sealed class EmailChangeInput
{
    public string? Email { get; set; }

    public EmailChangeInput Normalized() => new() { Email = new SignupInput { Email = Email }.Normalized().Email };
}

public sealed class EmailChangeValidator : AbstractValidator<EmailChangeInput>
{
    public EmailChangeValidator() => RuleFor(input => input.Email).ValidEmail();
}
