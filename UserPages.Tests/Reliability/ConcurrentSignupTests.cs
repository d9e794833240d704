using System.Net;
using Microsoft.Extensions.Logging;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// Many people at once: racing signups for one name or one email, and a mixed load of listing, searching and signing
/// up. The database decides every race; nobody sees a 5xx or "database is locked".
/// </summary>
public abstract class ConcurrentSignupTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    public const int Racers = 64;

    [Fact]
    public async Task Sixty_four_signups_for_one_username_give_one_302_and_63_conflicts_and_one_row()
    {
        var name = SignupClient.UniqueName("race");

        var responses = await RaceAsync(i => (i % 2 == 0 ? name : name.ToUpperInvariant(), $"{name}-{i}@example.com"));

        await AssertOneWinnerAsync(responses, "#username-error", "That username is taken. Try another one.");
        Assert.Equal(1, await app.Db.CountUsersAsync(name));
    }

    [Fact]
    public async Task Sixty_four_signups_for_one_email_give_one_302_and_63_conflicts_and_one_row()
    {
        var name = SignupClient.UniqueName("mail");

        var responses = await RaceAsync(i => ($"{name}-{i}", $"{name}@Example.com"));

        await AssertOneWinnerAsync(responses, "#email-error", "That email address is already registered.");
        Assert.Equal(1, await app.Db.CountUsersAsync(name));
    }

    [Fact]
    public async Task Mixed_load_of_listing_search_details_and_signups_never_answers_5xx_or_locks()
    {
        const int Signers = 8, Readers = 8, RequestsEach = 40;
        var before = await app.Db.CountUsersAsync("load-");
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string What, HttpStatusCode Status)>();
        var signedUp = 0;

        var signers = Enumerable.Range(0, Signers).Select(worker => Task.Run(async () =>
        {
            var client = app.CreateClient();
            var form = await client.GetSignupFormAsync();
            for (var i = 0; i < RequestsEach; i++)
            {
                // Every fifth signup repeats an earlier name: conflicts are part of real traffic.
                var name = i % 5 == 4 ? $"load-{worker}-{i - 1}" : $"load-{worker}-{i}";
                var response = await client.PostSignupAsync(form, name, $"{name}-{i}@example.com");
                statuses.Add(("signup", response.StatusCode));
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    Interlocked.Increment(ref signedUp);
                }
            }
        }));
        var readers = Enumerable.Range(0, Readers).Select(worker => Task.Run(async () =>
        {
            var client = app.CreateClient();
            for (var i = 0; i < RequestsEach; i++)
            {
                var url = (i % 4) switch
                {
                    0 => "/users",
                    1 => $"/users?q=load-{i % Signers}",
                    2 => "/users?q=%25_%25",
                    _ => "/users?before=" + DateTime.UtcNow.Ticks + "_9999999",
                };
                var response = await client.GetAsync(new Uri(url, UriKind.Relative));
                statuses.Add((url, response.StatusCode));
                var details = (await HtmlPage.ParseAsync(response)).Document.QuerySelector(".user-list .username")?.GetAttribute("href");
                if (details is not null)
                {
                    statuses.Add(("details", (await client.GetAsync(new Uri(details, UriKind.Relative))).StatusCode));
                }
            }
        }));
        await Task.WhenAll(signers.Concat(readers));

        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500);
        Assert.All(statuses.Where(s => s.What != "signup"), s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.All(statuses.Where(s => s.What == "signup"), s => Assert.Contains(s.Status, new[] { HttpStatusCode.Redirect, HttpStatusCode.Conflict }));
        Assert.Equal(Signers * RequestsEach * 4 / 5, signedUp);
        Assert.Equal(before + signedUp, await app.Db.CountUsersAsync("load-"));
        AssertNoDatabaseErrorsLogged();
    }

    private async Task<HttpResponseMessage[]> RaceAsync(Func<int, (string Username, string Email)> signup)
    {
        var responses = await SignupClient.StampedeAsync([.. Enumerable.Range(0, Racers).Select(_ => app.CreateClient())], signup);
        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        return responses;
    }

    /// <summary>Exactly one redirect; every other racer a 409 with the message beside the contested field; no errors.</summary>
    private async Task AssertOneWinnerAsync(HttpResponseMessage[] responses, string errorSelector, string message)
    {
        await ResponseAssert.OneWinnerAsync(responses, errorSelector, message);
        AssertNoDatabaseErrorsLogged();
    }

    private void AssertNoDatabaseErrorsLogged()
    {
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Mentions("database is locked"));
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Level >= LogLevel.Error);
    }
}

public sealed class ConcurrentSignupTestsOnSqlite(AppFixture<SqliteEngine> app) : ConcurrentSignupTests<SqliteEngine>(app);

public sealed class ConcurrentSignupTestsOnPostgres(AppFixture<PostgresEngine> app) : ConcurrentSignupTests<PostgresEngine>(app);

public sealed class ConcurrentSignupTestsOnMySql(AppFixture<MySqlEngine> app) : ConcurrentSignupTests<MySqlEngine>(app);
