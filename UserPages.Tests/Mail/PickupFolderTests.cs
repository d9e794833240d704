using MimeKit;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Mail;

/// <summary>
/// With no SMTP server configured (the shipped default), the app process writes each message as a readable
/// <c>.eml</c> file into <c>App_Data/mail/</c> beside the SQLite database, and says once at start-up in Production that
/// nobody receives it.
/// </summary>
public sealed class PickupFolderTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>
{
    [Fact]
    public async Task Without_SMTP_each_message_becomes_a_readable_eml_file_beside_the_database_and_Production_warns_once()
    {
        var folder = Path.Combine(Path.GetDirectoryName(database.Db.SqliteFile)!, "mail");
        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            await new MailOutbox(database.Db.Database, TimeProvider.System).QueueAsync(unit, new OutgoingMail("reader@example.com", "Welcome, reader", "Hello from the pickup folder."), default);
            await unit.CommitAsync(default);
        }

        await using var server = await AppServer.StartAsShippedAsync(new Dictionary<string, string>(database.Db.Settings)
        {
            ["Mail:Outbox:PollInterval"] = "00:00:00.100",
            ["App:PublicBaseUrl"] = TestAppSettings.PublicBaseUrl,
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Directory.Exists(folder) || Directory.GetFiles(folder, "*.eml").Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No .eml file in {folder} within 60 s. The app printed:\n{server.Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var mail = await MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal("Welcome, reader", mail.Subject);
        Assert.Equal("reader@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("Hello from the pickup folder.", mail.TextBody?.TrimEnd());
        Assert.Equal($"{await database.Db.ScalarAsync<string>("SELECT message_id FROM mail_outbox")}@localhost", mail.MessageId);

        var warnings = server.Output.Split('\n').Where(line => line.Contains("Mail:Smtp:Host is not set", StringComparison.Ordinal)).ToList();
        Assert.Single(warnings);
        Assert.Contains(folder, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("reader@example.com", server.Output, StringComparison.OrdinalIgnoreCase);
    }
}
