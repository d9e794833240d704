using System.Text.RegularExpressions;
using MimeKit;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The app as people meet it: confirmation by mail on, and mail going over real SMTP to a server in the test process,
/// polled every tenth of a second. Tests read links out of the mail it receives and follow them over HTTP.
/// </summary>
public class MailedApp<TEngine>(TestServers servers) : AppFixture<TEngine>(servers)
    where TEngine : ITestEngine
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings.Concat(Smtp.Settings))
    {
        ["Signup:RequireConfirmedEmail"] = "true",
        ["Mail:Outbox:PollInterval"] = "00:00:00.100",
    };

    public override async ValueTask InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>The one message with <paramref name="subject"/> to <paramref name="address"/>, waited for.</summary>
    public virtual async Task<MimeMessage> MailToAsync(string address, string subject)
    {
        var received = await Smtp.UntilAsync(
            messages => messages.Any(m => m.Subject == subject && m.To.Mailboxes.Any(to => to.Address == address)), $"\"{subject}\" to {address}");
        return Assert.Single(received, m => m.Subject == subject && m.To.Mailboxes.Any(to => to.Address == address));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Links as a person finds them in a mail.</summary>
public static partial class MailLinks
{
    /// <summary>The one link in the mail's text that starts with <see cref="TestAppSettings.PublicBaseUrl"/>, as a path and query to request.</summary>
    public static string LinkIn(MimeMessage message) => "/" + LinkInText(message.TextBody ?? "")[TestAppSettings.PublicBaseUrl.Length..];

    /// <summary>The one absolute link to the app in a mail's text.</summary>
    public static string LinkInText(string text) => Assert.Single(AppLink().Matches(text).Select(m => m.Value).Distinct());

    /// <summary>Opens the link as a person does, then presses the one button on its page; the button's answer.</summary>
    public static async Task<HttpResponseMessage> FollowAndPressAsync(this HttpClient client, string link)
    {
        var page = await HtmlPage.GetAsync(client, link);
        Assert.True(page.Status == System.Net.HttpStatusCode.OK, $"GET {link.Split('?')[0]} answered {(int)page.Status}.");
        var action = page.Document.QuerySelector("main form[method=post]")!.GetAttribute("action")!;
        return await client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(page.FormValues("main form[method=post]")));
    }

    /// <summary>The token the link carries.</summary>
    public static string TokenIn(MimeMessage message) => LinkIn(message).Split("token=")[1];

    [GeneratedRegex(@"http://userpages\.test/[^\s]+")]
    private static partial Regex AppLink();
}
