using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Mail;

/// <summary>
/// The app's sender delivering the outbox to a real SMTP server on loopback, through MailKit: a committed change's mail
/// arrives once with its Message-ID, a rolled-back one never; mail waits out an SMTP outage; a 5xx or a day of
/// failures makes it dead; a slow server never holds up the form; and no log line names a recipient or a body.
/// </summary>
public abstract class OutboxSenderTests<TEngine>(OutboxSenderTests<TEngine>.Fixture app) : IClassFixture<OutboxSenderTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    private SmtpTestServer Smtp => app.Smtp;

    private MailOutbox Outbox => new(app.Db.Database, TimeProvider.System);

    [Fact]
    public async Task A_committed_change_delivers_its_mail_once_with_its_message_id_and_a_rolled_back_one_sends_nothing()
    {
        var (rolledBack, committed) = (Unique("rolled back"), Unique("committed"));
        await using (var unit = await app.Db.Database.BeginWriteAsync(default))
        {
            await Outbox.QueueAsync(unit, new OutgoingMail($"{rolledBack.Address}", rolledBack.Subject, rolledBack.Body), default);
        }

        var id = await QueueAsync(committed);

        await UntilFinishedAsync(id);
        var mail = Assert.Single(Smtp.ReceivedWithSubject(committed.Subject));
        Assert.Equal(committed.Address, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("noreply@userpages.test", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(committed.Body, mail.TextBody?.TrimEnd());
        Assert.Equal($"{await MessageIdAsync(id)}@userpages.test", mail.MessageId);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}"));
        Assert.Empty(Smtp.ReceivedWithSubject(rolledBack.Subject));
        AssertLogsNeverMention(committed, rolledBack);
    }

    [Fact]
    public async Task While_the_SMTP_server_is_down_mail_waits_and_retries_and_is_delivered_once_it_is_back()
    {
        using var failed = Collect<long>("userpages.mail.failed");
        var mail = Unique("outage");
        await Smtp.StopAsync();
        long id;
        try
        {
            id = await QueueAsync(mail);
            await UntilAsync(async () => await app.Db.ScalarAsync<long>($"SELECT attempts FROM mail_outbox WHERE id = {id} AND claim IS NULL") >= 2, "two failed attempts");
            Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}"));
        }
        finally
        {
            await Smtp.StartAgainAsync();
        }

        await UntilFinishedAsync(id);
        Assert.Single(Smtp.ReceivedWithSubject(mail.Subject));
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}"));
        Assert.Contains(failed.GetMeasurementSnapshot(), m => Equals(m.Tags["reason"], "unreachable"));
        AssertLogsNeverMention(mail);
    }

    [Fact]
    public async Task A_5xx_refusal_makes_the_message_dead_at_once_counted_and_logged_without_its_address()
    {
        using var dead = Collect<long>("userpages.mail.dead");
        var mail = Unique("refused");
        Smtp.Answer = SmtpAnswer.Refuse;
        long id;
        try
        {
            id = await QueueAsync(mail);
            await UntilFinishedAsync(id);
        }
        finally
        {
            Smtp.Answer = SmtpAnswer.Accept;
        }

        Assert.Equal((2L, 1L), (await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}"), await app.Db.ScalarAsync<long>($"SELECT attempts FROM mail_outbox WHERE id = {id}")));
        Assert.Equal("SMTP 550 MessageNotAccepted", await app.Db.ScalarAsync<string>($"SELECT last_error FROM mail_outbox WHERE id = {id}"));
        // The sender counts and logs just after it marks the message: on a loaded machine the test can see the mark first.
        await UntilAsync(() => Task.FromResult(app.Logs.GetSnapshot().Any(entry => entry.Message.StartsWith($"Mail {id} is dead after 1 attempt(s)", StringComparison.Ordinal))), $"the log line of dead message {id}");
        Assert.Contains(dead.GetMeasurementSnapshot(), m => Equals(m.Tags["reason"], "refused"));
        Assert.Empty(Smtp.ReceivedWithSubject(mail.Subject));
        AssertLogsNeverMention(mail);
    }

    [Fact]
    public async Task A_message_still_deferred_after_the_give_up_time_is_dead_as_expired()
    {
        using var dead = Collect<long>("userpages.mail.dead");
        var mail = Unique("expired");
        Smtp.Answer = SmtpAnswer.Defer;
        long id;
        try
        {
            // Queued two days ago, as far as the sender can tell: its day of retries is over at the next failure.
            await using (var unit = await app.Db.Database.BeginWriteAsync(default))
            {
                await Outbox.QueueAsync(unit, new OutgoingMail(mail.Address, mail.Subject, mail.Body), default);
                await Dapper.SqlMapper.ExecuteAsync(unit.Connection, "UPDATE mail_outbox SET queued_at = @Then WHERE subject = @Subject",
                    new { Then = DateTime.SpecifyKind(DateTime.UtcNow.AddDays(-2), DateTimeKind.Unspecified), mail.Subject }, unit.Transaction);
                await unit.CommitAsync(default);
            }

            id = await app.Db.ScalarAsync<long>($"SELECT id FROM mail_outbox WHERE subject = '{mail.Subject}'");
            await UntilFinishedAsync(id);
        }
        finally
        {
            Smtp.Answer = SmtpAnswer.Accept;
        }

        Assert.Equal(2, await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}"));
        Assert.StartsWith("gave up after 1 attempts: SMTP 451", await app.Db.ScalarAsync<string>($"SELECT last_error FROM mail_outbox WHERE id = {id}"), StringComparison.Ordinal);
        await UntilAsync(() => Task.FromResult(dead.GetMeasurementSnapshot().Any(m => Equals(m.Tags["reason"], "expired"))), "the expired message counted");
        AssertLogsNeverMention(mail);
    }

    [Fact]
    public async Task An_SMTP_server_that_holds_every_message_does_not_hold_up_the_form()
    {
        var mail = Unique("held");
        Smtp.Hold();
        try
        {
            var id = await QueueAsync(mail);
            await UntilAsync(() => Task.FromResult(Smtp.Holding > 0), "the sender in the middle of a send");

            // Signups go on while the sender waits on the server: it holds no transaction and no lock they need.
            var client = app.CreateClient();
            for (var i = 0; i < 20; i++)
            {
                var name = SignupClient.UniqueName("held");
                Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
            }

            Assert.Empty(Smtp.ReceivedWithSubject(mail.Subject));
            Smtp.Release();
            await UntilFinishedAsync(id);
            Assert.Single(Smtp.ReceivedWithSubject(mail.Subject));
        }
        finally
        {
            Smtp.Release();
        }
    }

    [Fact]
    public async Task The_queue_gauges_show_unsent_mail_and_the_oldest_ones_age()
    {
        var mail = Unique("gauge");
        await Smtp.StopAsync();
        try
        {
            await QueueAsync(mail);
            using var depth = Collect<long>("userpages.mail.queue.depth");
            using var age = Collect<double>("userpages.mail.queue.oldest_age");
            await UntilAsync(() =>
            {
                depth.RecordObservableInstruments();
                age.RecordObservableInstruments();
                return Task.FromResult(depth.LastMeasurement?.Value >= 1 && age.LastMeasurement?.Value > 0);
            }, "a queue depth of at least one and an age above zero");
        }
        finally
        {
            await Smtp.StartAgainAsync();
        }
    }

    private static Mailing Unique(string what)
    {
        var token = Guid.NewGuid().ToString("N")[..12];
        return new Mailing($"person-{token}@example.com", $"{what} {token}", $"The body of {what} {token}, private.");
    }

    private async Task<long> QueueAsync(Mailing mail)
    {
        _ = app.Factory.Services; // the app, and with it the sender, runs
        await using var unit = await app.Db.Database.BeginWriteAsync(default);
        await Outbox.QueueAsync(unit, new OutgoingMail(mail.Address, mail.Subject, mail.Body), default);
        await unit.CommitAsync(default);
        return await app.Db.ScalarAsync<long>($"SELECT id FROM mail_outbox WHERE subject = '{mail.Subject}'");
    }

    private Task<string?> MessageIdAsync(long id) => app.Db.ScalarAsync<string>($"SELECT message_id FROM mail_outbox WHERE id = {id}");

    private Task UntilFinishedAsync(long id) =>
        UntilAsync(async () => await app.Db.ScalarAsync<long>($"SELECT state FROM mail_outbox WHERE id = {id}") != 0, $"message {id} sent or dead");

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"No {what} within 60 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private void AssertLogsNeverMention(params Mailing[] mailings)
    {
        var logs = app.Logs.GetSnapshot();
        foreach (var text in mailings.SelectMany(m => new[] { m.Address, m.Body }))
        {
            Assert.DoesNotContain(logs, entry => entry.Mentions(text));
        }
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", instrument);

    private sealed record Mailing(string Address, string Subject, string Body);

    /// <summary>The app over its own SMTP server, with a sender policy in tenths of a second instead of minutes.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        public SmtpTestServer Smtp { get; private set; } = null!;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings.Concat(Smtp.Settings))
        {
            ["Mail:Outbox:PollInterval"] = "00:00:00.100",
            ["Mail:Outbox:FirstRetryDelay"] = "00:00:00.200",
            ["Mail:Outbox:MaxRetryDelay"] = "00:00:00.500",
            ["Mail:Outbox:GaugeInterval"] = "00:00:00.100",
            ["Mail:Outbox:SendTimeout"] = "00:00:10",
        };

        public override async ValueTask InitializeAsync()
        {
            Smtp = await SmtpTestServer.StartAsync();
            await base.InitializeAsync();
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await base.DisposeAsyncCore();
            await Smtp.DisposeAsync();
        }
    }
}

public sealed class OutboxSenderTestsOnSqlite(OutboxSenderTests<SqliteEngine>.Fixture app) : OutboxSenderTests<SqliteEngine>(app);

public sealed class OutboxSenderTestsOnPostgres(OutboxSenderTests<PostgresEngine>.Fixture app) : OutboxSenderTests<PostgresEngine>(app);

public sealed class OutboxSenderTestsOnMySql(OutboxSenderTests<MySqlEngine>.Fixture app) : OutboxSenderTests<MySqlEngine>(app);
