using System.Collections.Concurrent;
using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// The app SIGKILLed in the middle of a signup load (a real process, not TestServer): every signup that was
/// answered with a redirect is in the database afterwards, no row is half-written, and the app starts again.
/// </summary>
public sealed class CrashTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>
{
    public const int Workers = 8;
    public const int AnsweredBeforeKill = 150;

    private readonly TestDatabase _db = database.Db;

    [Fact]
    public async Task Killed_mid_signup_load_it_loses_no_answered_signup_and_leaves_nothing_half_written()
    {
        var attempted = new ConcurrentDictionary<string, string>();
        var answered = new ConcurrentBag<string>();
        string appOutput;
        await using (var server = await AppServer.StartAsync(_db.Settings))
        {
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                using var client = server.CreateClient();
                var form = await client.GetSignupFormAsync();
                for (var i = 0; ; i++)
                {
                    var name = $"crash-{worker}-{i}";
                    attempted[name] = $"{name}@example.com";
                    try
                    {
                        if ((await client.PostSignupAsync(form, name, attempted[name])).StatusCode == HttpStatusCode.Redirect)
                        {
                            answered.Add(name);
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToList();

            while (answered.Count < AnsweredBeforeKill && load.All(worker => !worker.IsCompleted))
            {
                await Task.Delay(10);
            }

            await server.KillAsync();
            appOutput = server.Output;
            try
            {
                await Task.WhenAll(load);
            }
            catch (Exception exception)
            {
                // Only failures before the kill get here (the workers return on the kill's own errors).
                Assert.Fail($"A worker failed before the kill: {exception.Message}\nThe app printed:\n{appOutput}");
            }
        }

        Assert.True(answered.Count >= AnsweredBeforeKill, $"Only {answered.Count} signups were answered before the kill. The app printed:\n{appOutput}");
        var rows = await ReadAllUsersAsync();
        Assert.Equal("ok", await _db.ScalarAsync<string>("PRAGMA integrity_check"));
        Assert.All(answered, name => Assert.True(rows.ContainsKey(name), $"{name} was answered 302 but is not in the database."));
        Assert.All(rows, row => Assert.Equal(attempted[row.Key], row.Value));
        Assert.InRange(rows.Count - answered.Count, 0, Workers); // at most the requests in flight at the kill

        await using var restarted = await AppServer.StartAsync(_db.Settings);
        using var again = restarted.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignUpAsync("after-crash", "after-crash@example.com")).StatusCode);
    }

    private async Task<Dictionary<string, string>> ReadAllUsersAsync() =>
        (await _db.QueryAsync<(string Username, string Email)>("SELECT username, email FROM users")).ToDictionary(row => row.Username, row => row.Email);
}
