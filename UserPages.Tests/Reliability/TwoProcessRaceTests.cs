using System.Net;
using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// Two app processes on one database, as behind a load balancer, split a stampede for one username typed in 64 letter
/// cases. Within one process signups queue through one writer; across two, their transactions really race, and only
/// the database's unique index can decide. It must decide the same right after an incident in one of the two, and
/// while schema changes are committed beside them, as a deploy-time migrate does.
/// </summary>
public abstract class TwoProcessRaceTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    public const int Racers = 64;

    [Fact]
    public async Task A_stampede_split_over_two_processes_has_one_winner_before_and_right_after_an_incident_in_one_of_them()
    {
        // A reaches a server through a relay, so that A alone can lose its database.
        await using var relay = database.Db.Provider == DatabaseProvider.Sqlite ? null : new TcpRelay(database.Db.ServerPort);
        await using var a = await AppServer.StartAsync(relay is null ? database.Db.Settings : database.Db.SettingsThroughPort(relay.Port));
        await using var b = await AppServer.StartAsync(database.Db.Settings);

        await StampedeAsync(a, b, "calm");

        await IncidentInAsync(a, relay);
        await StampedeAsync(a, b, "after");

        Assert.Contains("The database is failing", a.Output, StringComparison.Ordinal);
        Assert.True(!b.Output.Contains("fail:", StringComparison.Ordinal), $"B logged an error:\n{b.Output}");
    }

    [Fact]
    public async Task Racing_for_one_name_in_both_processes_while_schema_changes_are_committed_beside_them_is_409_never_503()
    {
        const int Posts = 400;
        await using var a = await AppServer.StartAsync(database.Db.Settings);
        await using var b = await AppServer.StartAsync(database.Db.Settings);
        var name = SignupClient.UniqueName("migrating");
        var answers = new System.Collections.Concurrent.ConcurrentQueue<HttpStatusCode>();
        var racers = Enumerable.Range(0, 8).Select(racer => Task.Run(async () =>
        {
            using var client = (racer % 2 == 0 ? a : b).CreateClient();
            var form = await client.GetSignupFormAsync();
            for (var i = 0; answers.Count < Posts; i++)
            {
                answers.Enqueue((await client.PostSignupAsync(form, LetterCase(name, i), $"{name}-{racer}-{i}@example.com")).StatusCode);
            }
        })).ToList();

        // At a migration's pace, not back to back: a loop without pauses would hold SQLite's write lock all along.
        var changes = 0;
        while (!racers.All(racer => racer.IsCompleted))
        {
            await database.Db.ChangeSchemaAsync();
            changes++;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(racers);
        var statuses = ResponseAssert.Statuses(answers);
        TestContext.Current.SendDiagnosticMessage($"{GetType().Name}: {changes} schema changes beside {statuses}.");
        Assert.True(answers.Count(s => s == HttpStatusCode.Redirect) == 1 && answers.All(s => s is HttpStatusCode.Redirect or HttpStatusCode.Conflict), $"{statuses}\nA printed:\n{a.Output}\nB printed:\n{b.Output}");
        Assert.Equal(1, await database.Db.CountUsersAsync(name));
    }

    /// <summary>
    /// A loses its database and knows it: its disk is full (SQLite) or its network path to the server is cut. A signup
    /// answers 503 and opens an incident; once the fault is gone, A's /healthz closes it (with a probe write on SQLite).
    /// </summary>
    private static async Task IncidentInAsync(AppServer a, TcpRelay? relay)
    {
        using var client = a.CreateClient();
        var form = await client.GetSignupFormAsync();
        if (relay is null)
        {
            await a.LimitFileSizeAsync(0);
        }
        else
        {
            relay.Cut();
        }

        try
        {
            var name = SignupClient.UniqueName("incident");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostSignupAsync(form, name, $"{name}@example.com")).StatusCode);
        }
        finally
        {
            if (relay is null)
            {
                await a.LimitFileSizeAsync(null);
            }
            else
            {
                relay.Restore();
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    /// <summary>Half the racers post to A and half to B, all at once, the same name in a different letter case each.</summary>
    private async Task StampedeAsync(AppServer a, AppServer b, string prefix)
    {
        var name = SignupClient.UniqueName($"stampede-{prefix}");
        var clients = Enumerable.Range(0, Racers).Select(i => (i % 2 == 0 ? a : b).CreateClient()).ToList();
        try
        {
            var responses = await SignupClient.StampedeAsync(clients, i => (LetterCase(name, i), $"{name}-{i}@example.com"));

            await ResponseAssert.OneWinnerAsync(responses, "#username-error", "That username is taken. Try another one.");
            Assert.Equal(1, await database.Db.CountUsersAsync(name));
        }
        catch (Exception failure) when (failure is not Xunit.Sdk.SkipException)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nA printed:\n{a.Output}\nB printed:\n{b.Output}");
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    /// <summary>The name with its first six letters in the case the bits of <paramref name="racer"/> say: 64 spellings.</summary>
    private static string LetterCase(string name, int racer) =>
        string.Concat(name.Select((c, k) => k < 6 && ((racer >> k) & 1) == 1 ? char.ToUpperInvariant(c) : c));
}

public sealed class TwoProcessRaceTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : TwoProcessRaceTests<SqliteEngine>(database);

public sealed class TwoProcessRaceTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : TwoProcessRaceTests<PostgresEngine>(database);

public sealed class TwoProcessRaceTestsOnMySql(DatabaseFixture<MySqlEngine> database) : TwoProcessRaceTests<MySqlEngine>(database);
