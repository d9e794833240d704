using System.Net;
using System.Net.Http.Headers;
using System.Text;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// Bots and attackers post garbage: every hostile form field and body gets a 4xx with a clear message, never a 5xx or a
/// stack trace, and nothing is stored.
/// </summary>
public abstract class HostileFormTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Theory]
    [MemberData(nameof(HostileInputs.Usernames), MemberType = typeof(HostileInputs))]
    public async Task A_hostile_username_is_refused_beside_the_field_and_not_stored(string name)
    {
        var value = HostileInputs.Values.Single(v => v.Name == name).Value;

        var page = await PostAsync(value, $"{SignupClient.UniqueName("h")}@example.com");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        AssertMessage(page, value, "#username-error");
    }

    [Theory]
    [MemberData(nameof(HostileInputs.Emails), MemberType = typeof(HostileInputs))]
    public async Task A_hostile_email_is_refused_beside_the_field_and_not_stored(string name)
    {
        var value = HostileInputs.AsEmails().Single(v => v.Name == name).Email;

        var page = await PostAsync(SignupClient.UniqueName("h"), value);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        AssertMessage(page, value, "#email-error");
    }

    [Fact]
    public async Task Invalid_utf8_in_the_form_is_refused_not_crashed_on()
    {
        var client = app.CreateClient();
        var token = Uri.EscapeDataString((await client.GetSignupFormAsync())["__RequestVerificationToken"]);
        foreach (var body in new[]
        {
            Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Username=ab%FF%FEcd&Input.Email=a%C0%AF@example.com"),
            [.. Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Username=ab"), 0xFF, 0xC3, 0x28, .. Encoding.ASCII.GetBytes("&Input.Email=x@example.com")],
            [.. Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Username=ED%A0%80abc&Input.Email="), 0xED, 0xA0, 0x80, .. Encoding.ASCII.GetBytes("@example.com")],
        })
        {
            var page = await AssertRefusedAsync(client, Form(body));
            Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        }
    }

    [Theory]
    [InlineData("abc%C0%AF")] // an overlong '/'
    [InlineData("abc%E0%80%AF")] // the same, in three bytes
    [InlineData("abc%ED%A0%80")] // an encoded lone surrogate
    [InlineData("abc%F4%90%80%80")] // past U+10FFFF
    [InlineData("abc%80")] // a stray continuation byte
    public async Task A_field_of_bytes_that_are_not_utf8_is_refused_not_read_as_other_text(string encoded)
    {
        // The form reader would keep these escapes as literal text: "abc%c0%af@example.com" passed as an email.
        foreach (var (username, email) in FieldsWith(encoded))
        {
            var page = await PostRawAsync(username, email);

            Assert.Equal(HttpStatusCode.BadRequest, page.Status);
            Assert.Equal("Bad request", page.Text("h1"));
        }
    }

    [Theory]
    [InlineData("abc%0D%0ABcc:x")] // header injection
    [InlineData("abc%1B%5B31m")] // a terminal escape
    [InlineData("abc%C2%85")] // C1 next line, which trimming would otherwise take for a space
    [InlineData("%09abc")] // a tab before
    [InlineData("abc%0A")] // a line break after
    public async Task A_field_with_a_control_character_anywhere_is_refused_beside_the_field(string encoded)
    {
        var fields = FieldsWith(encoded);

        var username = await PostRawAsync(fields[0].Username, fields[0].Email);
        var email = await PostRawAsync(fields[1].Username, fields[1].Email);

        Assert.Equal(HttpStatusCode.BadRequest, username.Status);
        Assert.False(string.IsNullOrWhiteSpace(username.Text("#username-error")));
        Assert.Equal(HttpStatusCode.BadRequest, email.Status);
        Assert.False(string.IsNullOrWhiteSpace(email.Text("#email-error")));
    }

    [Fact]
    public async Task A_field_sent_twice_is_refused_with_a_message()
    {
        var client = app.CreateClient();
        var token = (await client.GetSignupFormAsync())["__RequestVerificationToken"];
        var name = SignupClient.UniqueName("twice");
        var fields = new[]
        {
            KeyValuePair.Create("__RequestVerificationToken", token),
            KeyValuePair.Create("Input.Username", name),
            KeyValuePair.Create("Input.Username", name + "x"),
            KeyValuePair.Create("Input.Email", $"{name}@example.com"),
        };

        var page = await AssertRefusedAsync(client, new FormUrlEncodedContent(fields));

        // Refused before the page, like every malformed request: the form was not made by our page.
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Bad request", page.Text("h1"));
        Assert.Contains("reload the page and try again", page.Text("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_forged_or_someone_elses_antiforgery_token_is_a_friendly_400()
    {
        var client = app.CreateClient();
        var form = await client.GetSignupFormAsync();
        var theirs = (await app.CreateClient().GetSignupFormAsync())["__RequestVerificationToken"];
        var name = SignupClient.UniqueName("forged");

        foreach (var token in new[] { null, "", "forged", Convert.ToBase64String(new byte[128]), theirs, form["__RequestVerificationToken"] + "x" })
        {
            var fields = new Dictionary<string, string> { ["Input.Username"] = name, ["Input.Email"] = $"{name}@example.com" };
            if (token is not null)
            {
                fields["__RequestVerificationToken"] = token;
            }

            var page = await AssertRefusedAsync(client, new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.BadRequest, page.Status);
            Assert.Equal("Bad request", page.Text("h1"));
        }
    }

    [Fact]
    public async Task A_2_MiB_body_is_refused_as_too_large_with_or_without_a_declared_length()
    {
        var client = app.CreateClient();
        var token = (await client.GetSignupFormAsync())["__RequestVerificationToken"];
        var huge = $"__RequestVerificationToken={Uri.EscapeDataString(token)}&Input.Username=big&Input.Email=" + new string('a', 2 * 1024 * 1024);

        var declared = await AssertRefusedAsync(client, Form(Encoding.ASCII.GetBytes(huge)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.Status);
        Assert.Equal("Too large", declared.Text("h1"));

        // Streamed without a length, the limit is found while reading the form: a 400, not a 500.
        var streamed = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(huge)));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/users/new", UriKind.Relative)) { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        var page = await HtmlPage.ParseAsync(await client.SendAsync(request));
        Assert.Contains(page.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge });
        ResponseAssert.NoInternals(page);
    }

    [Fact]
    public async Task Thousands_of_fields_are_refused()
    {
        var client = app.CreateClient();
        var fields = (await client.GetSignupFormAsync()).ToList();
        fields.AddRange(Enumerable.Range(0, 5000).Select(i => KeyValuePair.Create($"f{i}", "x")));

        var page = await AssertRefusedAsync(client, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
    }

    [Theory]
    [InlineData("application/json", "{\"Input.Username\":\"jsonuser\",\"Input.Email\":\"json@example.com\"}")]
    [InlineData("text/plain", "Input.Username=plainuser&Input.Email=plain@example.com")]
    [InlineData("application/xml", "<user><name>xmluser</name></user>")]
    [InlineData(null, "Input.Username=nouser&Input.Email=no@example.com")]
    public async Task A_body_that_is_not_a_form_is_refused(string? contentType, string body)
    {
        var client = app.CreateClient();
        var token = (await client.GetSignupFormAsync())["__RequestVerificationToken"];
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body + "&__RequestVerificationToken=" + Uri.EscapeDataString(token)));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        var page = await AssertRefusedAsync(client, content);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Bad request", page.Text("h1"));
    }

    private static void AssertMessage(HtmlPage page, string value, string fieldError)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            Assert.Equal("Bad request", page.Text("h1"));
            Assert.Contains("reload the page and try again", page.Text("main"), StringComparison.Ordinal);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(page.Text(fieldError)), $"No message at {fieldError}.");
        }
    }

    private async Task<HtmlPage> PostAsync(string username, string email)
    {
        var client = app.CreateClient();
        var form = await client.GetSignupFormAsync();
        form["Input.Username"] = username;
        form["Input.Email"] = email;
        return await AssertRefusedAsync(client, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts, then checks what every refusal has in common: a 4xx page without internals, nothing stored, no error logged.</summary>
    private async Task<HtmlPage> AssertRefusedAsync(HttpClient client, HttpContent content)
    {
        var before = await app.Db.CountUsersAsync();

        var page = await HtmlPage.ParseAsync(await client.PostAsync(new Uri("/users/new", UriKind.Relative), content));

        Assert.InRange((int)page.Status, 400, 499);
        ResponseAssert.NoInternals(page);
        Assert.Equal(before, await app.Db.CountUsersAsync());
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        return page;
    }

    /// <summary>The escaped text as the username (with a valid email), then inside the email (with a valid username).</summary>
    private static (string Username, string Email)[] FieldsWith(string encoded)
    {
        var name = SignupClient.UniqueName("bytes");
        return [(encoded, $"{name}@example.com"), (name, $"{encoded}@example.com")];
    }

    /// <summary>Posts the signup form with its fields exactly as given, escapes and all.</summary>
    private async Task<HtmlPage> PostRawAsync(string username, string email)
    {
        var client = app.CreateClient();
        var form = await client.GetSignupFormAsync();
        var token = Uri.EscapeDataString(form["__RequestVerificationToken"]);
        var stamp = Uri.EscapeDataString(form[SignupBotCheck.StampField]);
        return await AssertRefusedAsync(client, Form(Encoding.ASCII.GetBytes(
            $"__RequestVerificationToken={token}&{SignupBotCheck.StampField}={stamp}&Input.Username={username}&Input.Email={email}")));
    }

    private static ByteArrayContent Form(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }
}

public sealed class HostileFormTestsOnSqlite(AppFixture<SqliteEngine> app) : HostileFormTests<SqliteEngine>(app);

public sealed class HostileFormTestsOnPostgres(AppFixture<PostgresEngine> app) : HostileFormTests<PostgresEngine>(app);

public sealed class HostileFormTestsOnMySql(AppFixture<MySqlEngine> app) : HostileFormTests<MySqlEngine>(app);
