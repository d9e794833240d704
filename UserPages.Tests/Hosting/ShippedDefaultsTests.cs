using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// The app as shipped: a real process told where its database is and the public address its mail links to, nothing
/// else, so the signup rate limit and the confirmation by mail are on and the pool size and timeouts are the app's own
/// (at most 20 connections, 5 s to get one). Clients come from distinct loopback addresses, as people do.
/// </summary>
public abstract class ShippedDefaultsTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    /// <summary>Wider than the pool, several times over.</summary>
    public const int Burst = 128;

    // The bot check's shipped minimum time between rendering the form and posting it, as a person takes it.
    private static readonly TimeSpan ShippedFillTime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_signup_burst_from_128_addresses_wider_than_the_pool_is_answered_and_the_rate_limit_is_on()
    {
        // The ceiling on new entries a minute (NewEntryCeilingTests) would refuse most of a burst this wide, and it is
        // the pool under such a burst that this test is about.
        await using var server = await AppServer.StartAsShippedAsync(new Dictionary<string, string>(database.Db.ShippedSettings)
        {
            ["App:PublicBaseUrl"] = TestAppSettings.PublicBaseUrl,
            ["Signup:NewEntriesPerMinute"] = "1000",
        });
        var clients = Enumerable.Range(0, Burst).Select(i => server.CreateClient(IPAddress.Parse($"127.0.{1 + (i / 250)}.{1 + (i % 250)}"))).ToList();
        var name = SignupClient.UniqueName("burst");
        try
        {
            var signups = await SignupClient.StampedeAsync(clients, i => ($"{name}-{i}", $"{name}-{i}@example.com"), ShippedFillTime);

            // Then, as browsers do, all of them at once to the page the redirect points at, and to the listing.
            var inboxes = await Task.WhenAll(clients.Select(client => client.GetAsync(signups[0].Headers.Location)));
            var listings = await Task.WhenAll(clients.Select(client => client.GetAsync(new Uri("/users", UriKind.Relative))));

            var answers = $"signups: {ResponseAssert.Statuses(signups)}; check your inbox: {ResponseAssert.Statuses(inboxes)}; listings: {ResponseAssert.Statuses(listings)}.\nThe app printed:\n{server.Output}";
            Assert.True(signups.All(r => r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.OriginalString == "/users/check-inbox"), answers);
            Assert.True(inboxes.All(r => r.StatusCode == HttpStatusCode.OK), answers);
            Assert.True(listings.All(r => r.StatusCode == HttpStatusCode.OK), answers);

            // Confirmation is on as shipped: each is pending with its confirmation mail queued, nobody listed yet.
            Assert.Equal(Burst, await database.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username LIKE '{name}%'"));
            Assert.Equal(Burst, await database.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient LIKE '{name}%'"));
            Assert.Equal(0, await database.Db.CountUsersAsync(name));

            // The limiter is on, as shipped: one address's eleventh signup within the minute is refused.
            var form = await clients[0].GetSignupFormAsync();
            await Task.Delay(ShippedFillTime, TestContext.Current.CancellationToken);
            var more = new List<HttpStatusCode>();
            for (var i = 0; i < 10; i++)
            {
                more.Add((await clients[0].PostSignupAsync(form, $"{name}-again-{i}", $"{name}-again-{i}@example.com")).StatusCode);
            }

            Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Redirect, 9), HttpStatusCode.TooManyRequests], more);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }
}

public sealed class ShippedDefaultsTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : ShippedDefaultsTests<SqliteEngine>(database);

public sealed class ShippedDefaultsTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : ShippedDefaultsTests<PostgresEngine>(database);

public sealed class ShippedDefaultsTestsOnMySql(DatabaseFixture<MySqlEngine> database) : ShippedDefaultsTests<MySqlEngine>(database);
