using System.Diagnostics;
using Dapper;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// The sender in real app processes against a real SMTP server: SIGKILLed mid-drain it loses nothing (its claim
/// expires and the restarted app takes it again; at most the batch it was sending arrives twice, with the same
/// Message-IDs), stopped with SIGTERM it releases what it claimed, and two processes on one database deliver every
/// message exactly once.
/// </summary>
public abstract class MailCrashTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    private const int BatchSize = 20;

    [Fact]
    public async Task Killed_after_commits_and_before_delivery_it_delivers_everything_after_restart()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        smtp.Delay = TimeSpan.FromMilliseconds(20);
        var queued = await QueueAsync(200);
        var settings = Settings(smtp, claimTimeout: "00:00:03");

        await using (var server = await AppServer.StartAsync(settings))
        {
            await smtp.UntilAsync(received => received.Count >= 30, "30 messages before the kill");
            await server.KillAsync();
        }

        Assert.True(await UnsentAsync() > 0, "Everything was sent before the kill: the test proves nothing.");
        await using var restarted = await AppServer.StartAsync(settings);
        await UntilAsync(async () => await UnsentAsync() == 0, "every message sent after the restart", restarted);

        var ids = smtp.Received.Select(m => m.MessageId!).ToList();
        Assert.Equal(queued.Order(), ids.Distinct().Select(id => id.Split('@')[0]).Order());
        Assert.InRange(ids.Count - ids.Distinct().Count(), 0, BatchSize); // the batch being sent at the kill, marked only at its end
        Assert.DoesNotContain("@example.com", restarted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopped_with_SIGTERM_it_finishes_the_message_in_flight_and_releases_the_rest_of_its_claim()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        smtp.Delay = TimeSpan.FromMilliseconds(300);
        await QueueAsync(20);

        // A five-minute claim: anything not released would stay claimed long after the test.
        await using var server = await AppServer.StartAsync(Settings(smtp, claimTimeout: "00:05:00"));
        await smtp.UntilAsync(received => received.Count >= 1, "a first message");
        using (var kill = Process.Start("kill", ["-TERM", server.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await UntilAsync(() => Task.FromResult(server.Output.Contains("[the app exited with code 0]", StringComparison.Ordinal)), "a clean exit", server);

        Assert.Equal(0, await database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox WHERE claim IS NOT NULL"));
        Assert.Equal(smtp.Received.Count, await database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox WHERE state = 1"));
        Assert.True(await UnsentAsync() > 0, $"Everything was sent before the stop: the test proves nothing.\n{server.Output}");
        Assert.Contains("Released", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_app_processes_on_one_database_deliver_500_messages_each_exactly_once()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var queued = await QueueAsync(500);
        var settings = Settings(smtp, claimTimeout: "00:05:00");

        await using var first = await AppServer.StartAsync(settings);
        await using var second = await AppServer.StartAsync(settings);
        await UntilAsync(async () => await UnsentAsync() == 0, "every message sent", first);

        var ids = smtp.Received.Select(m => m.MessageId!.Split('@')[0]).ToList();
        Assert.Equal(500, ids.Count);
        Assert.Equal(queued.Order(), ids.Order());
        Assert.Equal(500, await database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox WHERE state = 1"));
        Assert.DoesNotContain("@example.com", first.Output + second.Output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Settings(SmtpTestServer smtp, string claimTimeout) => new(database.Db.Settings.Concat(smtp.Settings))
    {
        ["Mail:Outbox:PollInterval"] = "00:00:00.100",
        ["Mail:Outbox:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Outbox:ClaimTimeout"] = claimTimeout,
        ["Mail:Outbox:SendTimeout"] = "00:00:02",
        ["Mail:Outbox:FirstRetryDelay"] = "00:00:00.200",
    };

    private Task<long> UnsentAsync() => database.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_outbox WHERE state = 0");

    /// <summary>Empties the outbox and queues <paramref name="count"/> messages in one unit; returns their Message-IDs.</summary>
    private async Task<List<string>> QueueAsync(int count)
    {
        var outbox = new MailOutbox(database.Db.Database, TimeProvider.System);
        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            await unit.Connection.ExecuteAsync("DELETE FROM mail_outbox", transaction: unit.Transaction);
            for (var i = 0; i < count; i++)
            {
                await outbox.QueueAsync(unit, new OutgoingMail($"person{i}@example.com", $"Message {i}", $"Body {i}"), default);
            }

            await unit.CommitAsync(default);
        }

        return await database.Db.QueryAsync<string>("SELECT message_id FROM mail_outbox");
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, AppServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"No {what} within 90 s. The app printed:\n{server.Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}

public sealed class MailCrashTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : MailCrashTests<SqliteEngine>(database);

public sealed class MailCrashTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : MailCrashTests<PostgresEngine>(database);

public sealed class MailCrashTestsOnMySql(DatabaseFixture<MySqlEngine> database) : MailCrashTests<MySqlEngine>(database);
