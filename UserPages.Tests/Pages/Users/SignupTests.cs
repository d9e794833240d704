using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>The signup form through the real HTTP pipeline and database, on every engine.</summary>
public abstract class SignupTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Form_has_labelled_fields_and_an_antiforgery_token()
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), "/users/new");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Sign up · UserPages", page.Document.Title);
        Assert.Equal("Username", page.Text("label[for='Input_Username']"));
        Assert.Equal("Email address", page.Text("label[for='Input_Email']"));
        Assert.False(string.IsNullOrEmpty(page.FormValues()["__RequestVerificationToken"]));
        Assert.Null(page.Document.QuerySelector("[aria-invalid]"));
    }

    [Fact]
    public async Task Should_create_user_and_redirect_to_listing_with_a_flash_shown_once()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("Alice");

        var response = await client.SignUpAsync($"  {name}  ", $"  {name.ToUpperInvariant()}@Example.COM ");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users", response.Headers.Location?.OriginalString);

        var listing = await HtmlPage.GetAsync(client, "/users");
        Assert.Contains(name, listing.Text(".flash"), StringComparison.Ordinal);
        Assert.Equal(name, listing.Texts(".user-list .username")[0]);

        var again = await HtmlPage.GetAsync(client, "/users");
        Assert.Null(again.Text(".flash"));

        var stored = await app.Db.FindUserAsync(name);
        Assert.NotNull(stored);
        Assert.Equal(name, stored.Username);
        Assert.Equal($"{name.ToLowerInvariant()}@example.com", stored.Email);
        Assert.InRange(stored.CreatedAt, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
    }

    [Theory]
    [MemberData(nameof(InvalidSignupForms.All), MemberType = typeof(InvalidSignupForms))]
    public async Task Invalid_input_answers_400_with_the_message_beside_the_field_and_the_values_kept(
        string username, string email, string invalidField, string message)
    {
        var client = app.CreateClient();
        var before = await app.Db.CountUsersAsync();

        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(username, email));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        var input = page.Document.GetElementById(invalidField)!;
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        var errorId = input.GetAttribute("aria-describedby")!.Split(' ')[0];
        Assert.Equal(message, page.Text($"#{errorId}"));
        Assert.Equal(username.Trim(), page.FormValues()["Input.Username"]);
        Assert.Equal(email.Trim().ToLowerInvariant(), page.FormValues()["Input.Email"]);
        Assert.Equal(before, await app.Db.CountUsersAsync());
    }

    [Fact]
    public async Task Empty_form_marks_both_fields()
    {
        var page = await HtmlPage.ParseAsync(await app.CreateClient().SignUpAsync("", ""));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(2, page.Document.QuerySelectorAll("[aria-invalid=true]").Length);
        Assert.Equal("Enter a username.", page.Text("#username-error"));
        Assert.Equal("Enter an email address.", page.Text("#email-error"));
        Assert.NotNull(page.Document.GetElementById("Input_Username")!.GetAttribute("autofocus"));
    }

    [Fact]
    public async Task Username_taken_in_another_case_answers_409_beside_the_username_and_stores_nothing()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("Bob");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        var before = await app.Db.CountUsersAsync();

        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(name.ToUpperInvariant(), $"other-{name}@example.com"));

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("That username is taken. Try another one.", page.Text("#username-error"));
        Assert.Null(page.Text("#email-error"));
        Assert.Equal(before, await app.Db.CountUsersAsync());
    }

    [Fact]
    public async Task Email_taken_in_another_case_answers_409_beside_the_email()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("carol");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(name + "x", $"{name.ToUpperInvariant()}@EXAMPLE.com"));

        Assert.Equal(HttpStatusCode.Conflict, page.Status);
        Assert.Equal("That email address is already registered.", page.Text("#email-error"));
        Assert.Null(page.Text("#username-error"));
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_rejected_with_400_and_stores_nothing()
    {
        var name = SignupClient.UniqueName("forged");
        var before = await app.Db.CountUsersAsync();

        var response = await app.CreateClient().PostAsync(
            new Uri("/users/new", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Username"] = name, ["Input.Email"] = $"{name}@example.com" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bad request", (await HtmlPage.ParseAsync(response)).Text("h1"));
        Assert.Equal(before, await app.Db.CountUsersAsync());
    }
}

public sealed class SignupTestsOnSqlite(AppFixture<SqliteEngine> app) : SignupTests<SqliteEngine>(app);

public sealed class SignupTestsOnPostgres(AppFixture<PostgresEngine> app) : SignupTests<PostgresEngine>(app);

public sealed class SignupTestsOnMySql(AppFixture<MySqlEngine> app) : SignupTests<MySqlEngine>(app);

/// <summary>Signup forms the rules refuse: username, email, the field marked invalid, the message beside it.</summary>
public static class InvalidSignupForms
{
    public static TheoryData<string, string, string, string> All => new()
    {
        { "", "someone@example.com", "Input_Username", "Enter a username." },
        { "ab", "someone@example.com", "Input_Username", "A username is 3 to 40 characters long." },
        { new string('a', 41), "someone@example.com", "Input_Username", "A username is 3 to 40 characters long." },
        { "bad name!", "someone@example.com", "Input_Username", "Use only letters, digits, '.', '_' and '-' in a username." },
        { "valid-name", "", "Input_Email", "Enter an email address." },
        { "valid-name", "not-an-email", "Input_Email", "Enter an email address like name@example.com." },
        { "valid-name", "a@b", "Input_Email", "Enter an email address like name@example.com." },
        { "valid-name", new string('e', 250) + "@example.com", "Input_Email", "An email address is at most 255 characters long." },
    };
}
