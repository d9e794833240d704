using System.Net;
using Microsoft.AspNetCore.Hosting;
using MimeKit;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// In Development with no mail server, mail goes to the pickup folder and "check your inbox" shows the link it holds,
/// so <c>dotnet run</c> works end to end; in Production the page never does (see ConfirmSignupTests).
/// </summary>
public sealed class DevelopmentLinkTests(DevelopmentLinkTests.Fixture app) : IClassFixture<DevelopmentLinkTests.Fixture>
{
    [Fact]
    public async Task Check_your_inbox_shows_the_link_written_to_the_pickup_folder_and_it_confirms()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("dev");

        Assert.Equal("/users/check-inbox", (await client.SignUpAsync(name, $"{name}@example.com")).Headers.Location?.OriginalString);
        var page = await HtmlPage.GetAsync(client, "/users/check-inbox");

        var shown = page.Document.QuerySelector(".dev-note a")!.GetAttribute("href")!;
        Assert.StartsWith($"{TestAppSettings.PublicBaseUrl}users/confirm?token=", shown, StringComparison.Ordinal);
        Assert.Equal("no-referrer", ResponseAssert.Header(page.Response, "Referrer-Policy"));
        Assert.Equal(shown, MailLinks.LinkInText(await ReadPickedUpMailAsync(name)));
        Assert.Null((await HtmlPage.GetAsync(client, "/users/check-inbox")).Document.QuerySelector(".dev-note"));

        Assert.Equal(HttpStatusCode.Redirect, (await client.FollowAndPressAsync("/" + shown[TestAppSettings.PublicBaseUrl.Length..])).StatusCode);
        Assert.NotNull(await app.Db.FindUserAsync(name));
    }

    private async Task<string> ReadPickedUpMailAsync(string name)
    {
        var folder = Path.Combine(Path.GetDirectoryName(app.Db.SqliteFile)!, "mail");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
            {
                var message = await MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
                if (message.To.Mailboxes.Any(to => to.Address == $"{name}@example.com"))
                {
                    return message.TextBody!;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No mail to {name} in {folder} within 30 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The app in Development, with confirmation on and no SMTP server.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<SqliteEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Signup:RequireConfirmedEmail"] = "true",
            ["Mail:Outbox:PollInterval"] = "00:00:00.100",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Development");
    }
}
