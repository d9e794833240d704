using UserPages.Pages.Users;

namespace UserPages.Tests.Pages.Users;

/// <summary>The signup rules, case by case, on the normalised input as the page checks it.</summary>
public sealed class SignupValidatorTests
{
    private readonly SignupValidator _validator = new();

    [Theory]
    [InlineData("abc", true)]
    [InlineData("Alice.Smith_99-x", true)]
    [InlineData("  padded  ", true)]
    [InlineData("ab", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("   ", false)]
    [InlineData("has space", false)]
    [InlineData("émile", false)]
    [InlineData("semi;colon", false)]
    [InlineData("new\nline", false)]
    [InlineData("nul\0char", false)]
    [InlineData("zero\u200Bwidth", false)]
    [InlineData("bidi\u202Eevil", false)]
    [InlineData("ｆｕｌｌｗｉｄｔｈ", true)] // NFKC folds full-width letters to ASCII before the check
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Username_rules(string? username, bool valid)
    {
        var input = new SignupInput { Username = username, Email = "someone@example.com" }.Normalized();

        Assert.Equal(valid, _validator.Validate(input).IsValid);
    }

    [Theory]
    [InlineData("someone@example.com", true)]
    [InlineData("First.Last+tag@sub.example.co.uk", true)]
    [InlineData("  spaced@example.com ", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("plain", false)]
    [InlineData("@example.com", false)]
    [InlineData("someone@", false)]
    [InlineData("someone@localhost", false)]
    [InlineData("some one@example.com", false)]
    [InlineData("two@@example.com", false)]
    [InlineData("a@b@example.com", false)]
    [InlineData("someone@example..com", false)]
    [InlineData("inject@example.com\r\nBcc: x@example.com", false)]
    [InlineData("zero\u200B@example.com", false)]
    public void Email_rules(string? email, bool valid)
    {
        var input = new SignupInput { Username = "someone", Email = email }.Normalized();

        Assert.Equal(valid, _validator.Validate(input).IsValid);
    }

    [Fact]
    public void Email_of_exactly_255_characters_is_allowed_and_256_is_not()
    {
        var local = new string('a', 255 - "@example.com".Length);

        Assert.True(_validator.Validate(new SignupInput { Username = "someone", Email = local + "@example.com" }).IsValid);
        Assert.False(_validator.Validate(new SignupInput { Username = "someone", Email = local + "a@example.com" }).IsValid);
    }

    [Fact]
    public void Normalisation_trims_the_username_and_lower_cases_the_email()
    {
        var input = new SignupInput { Username = "  Alice ", Email = " ALICE@Example.COM " }.Normalized();

        Assert.Equal("Alice", input.Username);
        Assert.Equal("alice@example.com", input.Email);
    }
}
