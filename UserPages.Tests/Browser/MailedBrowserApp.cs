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

    /// <summary>
    /// Does <paramref name="ask"/>, then waits for the next mail with <paramref name="subject"/> to
    /// <paramref name="address"/> and returns the path of its link: never an earlier mail's, when the address had one.
    /// </summary>
    public async Task<string> LinkMailedAfterAsync(string address, string subject, Func<Task> ask)
    {
        bool Wanted(MimeKit.MimeMessage m) => m.Subject == subject && m.To.Mailboxes.Any(to => to.Address == address);
        var before = Smtp.Received.Count(Wanted);
        await ask();
        var received = await Smtp.UntilAsync(m => m.Count(Wanted) > before, $"another \"{subject}\" to {address}");
        return MailLinks.LinkIn(received.Last(Wanted));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await Smtp.DisposeAsync();
    }
}
