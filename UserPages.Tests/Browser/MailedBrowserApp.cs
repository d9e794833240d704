using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Browser;

/// <summary>
/// The browser tests' app as people meet it: confirmation by mail on, and mail over real SMTP to a server in the test
/// process, whose messages hold the links the browser then opens.
/// </summary>
public class MailedBrowserApp(TestServers servers) : BrowserApp(servers)
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

    /// <summary>The path and query of the one link in the latest mail with <paramref name="subject"/> to <paramref name="address"/>.</summary>
    public async Task<string> LinkMailedToAsync(string address, string subject)
    {
        var received = await Smtp.UntilAsync(m => m.Any(x => x.Subject == subject && x.To.Mailboxes.Any(to => to.Address == address)), $"\"{subject}\" to {address}");
        return MailLinks.LinkIn(received.Last(x => x.Subject == subject && x.To.Mailboxes.Any(to => to.Address == address)));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Smtp.DisposeAsync();
    }
}
