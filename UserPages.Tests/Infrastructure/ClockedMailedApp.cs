using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// <see cref="MailedApp{TEngine}"/> on a clock the test moves: expiries, form stamps and per-minute limits are reached
/// by <see cref="Clock"/>.Advance, never by waiting.
/// </summary>
public class ClockedMailedApp<TEngine>(TestServers servers) : MailedApp<TEngine>(servers)
    where TEngine : ITestEngine
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));

    /// <summary>The mail sender waits on this clock too: it is moved on a little at a time until the mail is there.</summary>
    public override async Task<MimeMessage> MailToAsync(string address, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Smtp.Received.Any(m => m.Subject == subject && m.To.Mailboxes.Any(to => to.Address == address)) && DateTime.UtcNow < deadline)
        {
            Clock.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return await base.MailToAsync(address, subject);
    }
}
