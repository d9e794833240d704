using System.Net;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Telemetry;

/// <summary>
/// A token from a mail never reaches a log line, with every category at Trace and hosting's request lines asked for
/// by name, for all loggers and for one by its alias: real SMTP, the link opened, used and tried again.
/// </summary>
public sealed class TokenLogTests(TokenLogTests.Fixture app) : IClassFixture<TokenLogTests.Fixture>
{
    [Fact]
    public async Task A_confirmation_token_is_in_no_log_line_at_any_level_through_its_whole_use()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("logged");

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        var mail = await app.MailToAsync($"{name}@example.com", EntryMail.ConfirmSignupSubject);
        var link = MailLinks.LinkIn(mail);
        var token = MailLinks.TokenIn(mail);
        Assert.Equal(HttpStatusCode.Redirect, (await client.FollowAndPressAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(link, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/users/manage/open?token={token}", UriKind.Relative))).StatusCode);

        var logs = app.Logs.GetSnapshot();
        // Logging really was at its most verbose, the framework's handling of these very requests included.
        Assert.Contains(logs, entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
        Assert.Contains(logs, entry => entry.Category?.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal) == true
            && entry.Message.Contains("/users/confirm", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, entry => entry.Message.Contains(token[..20], StringComparison.Ordinal)
            || entry.StructuredState?.Any(pair => pair.Value?.Contains(token[..20], StringComparison.Ordinal) == true) == true
            || entry.Exception?.ToString().Contains(token[..20], StringComparison.Ordinal) == true);
    }

    /// <summary>The app with every log category at Trace, hosting's request lines named for all loggers and for the test's own.</summary>
    public sealed class Fixture(TestServers servers) : MailedApp<SqliteEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:Fake:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging:Console:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
        };
    }
}
