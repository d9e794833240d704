using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// The app as shipped: a real process told where its database is and nothing else, so the signup rate limit is on
/// and the pool size and timeouts are the app's own (at most 20 connections, 5 s to get one). Clients come from
/// distinct loopback addresses, as people do.
/// </summary>
public abstract class ShippedDefaultsTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    /// <summary>Wider than the pool, several times over.</summary>
    public const int Burst = 128;

    [Fact]
    public async Task A_signup_burst_from_128_addresses_wider_than_the_pool_is_answered_and_the_rate_limit_is_on()
    {
        await using var server = await AppServer.StartAsShippedAsync(database.Db.ShippedSettings);
        var clients = Enumerable.Range(0, Burst).Select(i => server.CreateClient(IPAddress.Parse($"127.0.{1 + (i / 250)}.{1 + (i % 250)}"))).ToList();
        var name = SignupClient.UniqueName("burst");
        try
        {
            var signups = await SignupClient.StampedeAsync(clients, i => ($"{name}-{i}", $"{name}-{i}@example.com"));

            // Then, as browsers do, all of them at once to the listing the redirect points at.
            var listings = await Task.WhenAll(clients.Select(client => client.GetAsync(new Uri("/users", UriKind.Relative))));

            var answers = $"signups: {ResponseAssert.Statuses(signups)}; listings: {ResponseAssert.Statuses(listings)}.\nThe app printed:\n{server.Output}";
            Assert.True(signups.All(r => r.StatusCode == HttpStatusCode.Redirect), answers);
            Assert.True(listings.All(r => r.StatusCode == HttpStatusCode.OK), answers);
            Assert.Equal(Burst, await database.Db.CountUsersAsync(name));

            // The limiter is on, as shipped: one address's eleventh signup within the minute is refused.
            var form = await clients[0].GetSignupFormAsync();
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
