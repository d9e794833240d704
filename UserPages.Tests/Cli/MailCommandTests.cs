using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary><c>mail queue</c> shows the outbox at a glance and <c>mail retry-dead</c> makes dead mail due again, run as an operator runs them.</summary>
public abstract class MailCommandTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Mail_queue_counts_due_retrying_and_dead_mail_and_retry_dead_makes_the_dead_due_again()
    {
        var outbox = new MailOutbox(database.Db.Database, TimeProvider.System);
        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            for (var i = 0; i < 4; i++)
            {
                await outbox.QueueAsync(unit, new OutgoingMail($"cli{i}@example.com", $"CLI {i}", "body"), default);
            }

            await unit.CommitAsync(default);
        }

        var claim = await outbox.ClaimAsync(3, TimeSpan.FromMinutes(5), default);
        Assert.True(await outbox.MarkDeadAsync(claim, claim.Messages[0].Id, "SMTP 550 RecipientNotAccepted", default));
        Assert.True(await outbox.RetryLaterAsync(claim, claim.Messages[1].Id, DateTime.UtcNow.AddHours(1), "SMTP 451 MessageNotAccepted", default));

        var before = await AppProcess.RunAsync(database.Db.Settings, "mail", "queue");

        Assert.True(before.ExitCode == 0, before.Error);
        Assert.Equal(["Due:      1", "Sending:  1", "Retrying: 1", "Dead:     1"], before.Output.Split('\n').Take(4));
        Assert.Matches(@"Oldest unsent: \d+ s", before.Output);

        var retry = await AppProcess.RunAsync(database.Db.Settings, "mail", "retry-dead");

        Assert.True(retry.ExitCode == 0, retry.Error);
        Assert.Equal("1 dead message(s) are due again.", retry.Output.Trim());
        var after = await AppProcess.RunAsync(database.Db.Settings, "mail", "queue");
        Assert.Equal(["Due:      2", "Sending:  1", "Retrying: 1", "Dead:     0"], after.Output.Split('\n').Take(4));
        Assert.DoesNotContain("@example.com", before.Output + after.Output, StringComparison.Ordinal);
    }
}

public sealed class MailCommandTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : MailCommandTests<SqliteEngine>(database);

public sealed class MailCommandTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : MailCommandTests<PostgresEngine>(database);

public sealed class MailCommandTestsOnMySql(DatabaseFixture<MySqlEngine> database) : MailCommandTests<MySqlEngine>(database);
