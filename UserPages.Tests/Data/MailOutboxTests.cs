using Dapper;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Data;

/// <summary>
/// The outbox table through its repository on a real database: a message is queued with the unit that causes it or
/// not at all, a claim is exclusive however many senders claim at once, and an expired or released claim is due again.
/// Each test starts from an empty outbox: a claim takes whatever is due.
/// </summary>
public abstract class MailOutboxTests<TEngine>(DatabaseFixture<TEngine> db) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    private static readonly TimeSpan AMinute = TimeSpan.FromMinutes(1);

    private TestDatabase Db => db.Db;

    private MailOutbox Outbox => new(Db.Database, TimeProvider.System);

    [Fact]
    public async Task A_rolled_back_unit_queues_nothing_and_a_committed_one_queues_its_message()
    {
        await EmptyAsync();
        await using (var unit = await Db.Database.BeginWriteAsync(default))
        {
            Assert.True((await Db.Users.AddAsync(unit, new NewUser(SignupClient.UniqueName("outbox"), $"{Guid.NewGuid():N}@example.com"), default)).Added);
            await Outbox.QueueAsync(unit, new OutgoingMail("rolled@example.com", "Rolled back", "never sent"), default);
        }

        Assert.Empty((await Outbox.ClaimAsync(10, AMinute, default)).Messages);

        await using (var unit = await Db.Database.BeginWriteAsync(default))
        {
            await Outbox.QueueAsync(unit, new OutgoingMail("kept@example.com", "Committed", "sent once"), default);
            await unit.CommitAsync(default);
        }

        var message = Assert.Single((await Outbox.ClaimAsync(10, AMinute, default)).Messages);
        Assert.Equal(("kept@example.com", "Committed", "sent once", 1), (message.Recipient, message.Subject, message.Body, message.Attempts));
        Assert.Matches("^[0-9a-f]{32}$", message.MessageId);
        Assert.Equal(DateTimeKind.Utc, message.QueuedAt.Kind);
        Assert.InRange(message.QueuedAt, DateTime.UtcNow - AMinute, DateTime.UtcNow + AMinute);
    }

    [Fact]
    public async Task Senders_claiming_at_once_never_take_the_same_message()
    {
        await EmptyAsync();
        await QueueAsync(300);

        // Every sender holds its first claim before any goes on, so claims certainly overlap, then all drain at will.
        const int Senders = 6;
        var holding = 0;
        var allHolding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimed = await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            var mine = (await Outbox.ClaimAsync(7, AMinute, default)).Messages.Select(m => m.Id).ToList();
            if (Interlocked.Increment(ref holding) == Senders)
            {
                allHolding.SetResult();
            }

            await allHolding.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var first = mine.Count;
            while ((await Outbox.ClaimAsync(7, AMinute, default)).Messages is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(m => m.Id));
            }

            return (First: first, Ids: mine);
        })));

        var all = claimed.SelectMany(sender => sender.Ids).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
        Assert.All(claimed, sender => Assert.Equal(7, sender.First));
    }

    [Fact]
    public async Task An_expired_claim_is_taken_again_and_its_first_holder_can_no_longer_mark_it()
    {
        await EmptyAsync();
        await QueueAsync(1);
        var first = await Outbox.ClaimAsync(10, TimeSpan.FromMilliseconds(1), default);
        Assert.Single(first.Messages);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        var second = await Outbox.ClaimAsync(10, AMinute, default);

        var message = Assert.Single(second.Messages);
        Assert.Equal(first.Messages[0].Id, message.Id);
        Assert.Equal(first.Messages[0].MessageId, message.MessageId);
        Assert.Equal(2, message.Attempts);
        Assert.Equal(0, await Outbox.MarkSentAsync(first, [message.Id], default));
        Assert.Equal(1, await Outbox.MarkSentAsync(second, [message.Id], default));
        Assert.Empty((await Outbox.ClaimAsync(10, AMinute, default)).Messages);
    }

    [Fact]
    public async Task A_claimed_message_is_not_due_until_released_and_then_at_once_with_its_attempt_given_back()
    {
        await EmptyAsync();
        await QueueAsync(3);
        var claim = await Outbox.ClaimAsync(10, AMinute, default);
        Assert.Equal(3, claim.Messages.Count);
        Assert.Empty((await Outbox.ClaimAsync(10, AMinute, default)).Messages);
        var backlog = await Outbox.ReadBacklogAsync(default);
        Assert.Equal((0, 3, 0, 0), (backlog.Due, backlog.Sending, backlog.Retrying, backlog.Dead));

        Assert.Equal(1, await Outbox.MarkSentAsync(claim, [claim.Messages[0].Id], default));
        Assert.Equal(2, await Outbox.ReleaseAsync(claim, default));

        var again = await Outbox.ClaimAsync(10, AMinute, default);
        Assert.Equal(claim.Messages.Skip(1).Select(m => m.Id), again.Messages.Select(m => m.Id));
        Assert.All(again.Messages, m => Assert.Equal(1, m.Attempts));
    }

    [Fact]
    public async Task Retrying_waits_for_its_time_dead_messages_wait_for_retry_dead_and_retention_deletes_only_what_finished()
    {
        await EmptyAsync();
        await QueueAsync(3);
        var claim = await Outbox.ClaimAsync(10, AMinute, default);
        var (sent, later, dead) = (claim.Messages[0].Id, claim.Messages[1].Id, claim.Messages[2].Id);
        Assert.Equal(1, await Outbox.MarkSentAsync(claim, [sent], default));
        Assert.True(await Outbox.RetryLaterAsync(claim, later, DateTime.UtcNow + AMinute, "SMTP 451 MessageNotAccepted", default));
        Assert.True(await Outbox.MarkDeadAsync(claim, dead, "SMTP 550 RecipientNotAccepted", default));

        var backlog = await Outbox.ReadBacklogAsync(default);
        Assert.Equal((0, 0, 1, 1), (backlog.Due, backlog.Sending, backlog.Retrying, backlog.Dead));
        Assert.InRange(backlog.OldestUnsentAge, TimeSpan.Zero, AMinute);
        Assert.Empty((await Outbox.ClaimAsync(10, AMinute, default)).Messages);

        // Nothing finished a day ago yet; everything finished is older than no time at all.
        Assert.Equal(0, await Outbox.DeleteFinishedAsync(TimeSpan.FromDays(1), default));
        Assert.Equal(1, await Outbox.RequeueDeadAsync(default));
        var again = await Outbox.ClaimAsync(10, AMinute, default);
        var requeued = Assert.Single(again.Messages);
        Assert.Equal((dead, 1), (requeued.Id, requeued.Attempts));
        Assert.True(await Outbox.MarkDeadAsync(again, dead, "SMTP 550 RecipientNotAccepted", default));

        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(2, await Outbox.DeleteFinishedAsync(TimeSpan.FromMilliseconds(1), default));
        Assert.Equal([later], await Db.QueryAsync<long>("SELECT id FROM mail_outbox"));
    }

    private async Task QueueAsync(int count)
    {
        await using var unit = await Db.Database.BeginWriteAsync(default);
        for (var i = 0; i < count; i++)
        {
            await Outbox.QueueAsync(unit, new OutgoingMail($"person{i}@example.com", $"Message {i}", $"Body {i}"), default);
        }

        await unit.CommitAsync(default);
    }

    private async Task EmptyAsync()
    {
        await using var unit = await Db.Database.BeginWriteAsync(default);
        await unit.Connection.ExecuteAsync("DELETE FROM mail_outbox", transaction: unit.Transaction);
        await unit.CommitAsync(default);
    }
}

public sealed class MailOutboxTestsOnSqlite(DatabaseFixture<SqliteEngine> db) : MailOutboxTests<SqliteEngine>(db);

public sealed class MailOutboxTestsOnPostgres(DatabaseFixture<PostgresEngine> db) : MailOutboxTests<PostgresEngine>(db);

public sealed class MailOutboxTestsOnMySql(DatabaseFixture<MySqlEngine> db) : MailOutboxTests<MySqlEngine>(db);
