using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The global ceiling on new pending entries a minute, counted in the database across instances: past it a new entry
/// gets 429 with Retry-After and a page saying it is everyone's pace, nothing is stored or mailed, and it is counted;
/// a minute later signups go through again. <c>RateLimiting:Enabled=false</c> turns it off, as for benchmarks.
/// </summary>
public abstract class NewEntryCeilingTests<TEngine>(NewEntryCeilingTests<TEngine>.Fixture app) : IClassFixture<NewEntryCeilingTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Past_the_ceiling_a_new_entry_gets_429_on_every_instance_until_the_minute_has_passed()
    {
        using var refusals = new MetricCollector<long>(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.signups.refused");
        await using var other = app.StartAnotherInstance();
        var onA = app.CreateClient();
        var onB = other.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var names = Enumerable.Range(0, Fixture.Ceiling + 2).Select(i => SignupClient.UniqueName($"wave{i}")).ToList();

        for (var i = 0; i < Fixture.Ceiling; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await (i % 2 == 0 ? onA : onB).SignUpAsync(names[i], $"{names[i]}@example.com")).StatusCode);
        }

        var onACeiling = await HtmlPage.ParseAsync(await onA.SignUpAsync(names[^2], $"{names[^2]}@example.com"));
        var onBCeiling = await HtmlPage.ParseAsync(await onB.SignUpAsync(names[^1], $"{names[^1]}@example.com"));

        foreach (var page in new[] { onACeiling, onBCeiling })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, page.Status);
            Assert.Equal("60", ResponseAssert.Header(page.Response, "Retry-After"));
            Assert.Equal("Too many requests", page.Text("h1"));
            Assert.Contains("So many people are signing up right now", page.Text("main"), StringComparison.Ordinal);
        }

        foreach (var name in names[^2..])
        {
            Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
            Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{name}@example.com'"));
        }

        Assert.Contains(refusals.GetMeasurementSnapshot(), m => Equals(m.Tags["reason"], "new_entry_ceiling"));

        // An address that already has an entry gets the same 429 past the ceiling, and nothing mailed: a 302 there would
        // tell anyone that the address has an entry.
        var known = await HtmlPage.ParseAsync(await onA.SignUpAsync(SignupClient.UniqueName("resend"), $"{names[0]}@example.com"));
        Assert.Equal(HttpStatusCode.TooManyRequests, known.Status);
        Assert.Equal(onACeiling.Text("main"), known.Text("main"));
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{names[0]}@example.com'"));

        app.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Redirect, (await onB.SignUpAsync(names[^1], $"{names[^1]}@example.com")).StatusCode);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{names[^1]}'"));
    }

    /// <summary>Confirmation on, every limit on, the per-client ones out of reach, and a low ceiling on a clock the test moves.</summary>
    public sealed class Fixture(TestServers servers) : ClockedMailedApp<TEngine>(servers)
    {
        public const int Ceiling = 3;

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:SignupsPerWindow"] = "1000",
            ["Signup:MailsPerClient"] = "1000",
            ["Signup:NewEntriesPerMinute"] = Ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

public sealed class NewEntryCeilingTestsOnSqlite(NewEntryCeilingTests<SqliteEngine>.Fixture app) : NewEntryCeilingTests<SqliteEngine>(app);

public sealed class NewEntryCeilingTestsOnPostgres(NewEntryCeilingTests<PostgresEngine>.Fixture app) : NewEntryCeilingTests<PostgresEngine>(app);

public sealed class NewEntryCeilingTestsOnMySql(NewEntryCeilingTests<MySqlEngine>.Fixture app) : NewEntryCeilingTests<MySqlEngine>(app);

/// <summary>With <c>RateLimiting:Enabled=false</c> (benchmarks, load tests) the ceiling is off like the other limits.</summary>
public abstract class NewEntryCeilingOffTests<TEngine>(NewEntryCeilingOffTests<TEngine>.Fixture app) : IClassFixture<NewEntryCeilingOffTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task With_rate_limiting_off_new_entries_pass_the_ceiling()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var name = SignupClient.UniqueName($"bench{i}");
            Assert.Equal("/users/check-inbox", (await client.SignUpAsync(name, $"{name}@example.com")).Headers.Location?.OriginalString);
            Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
        }
    }

    /// <summary>Confirmation on, a ceiling of one, and the limits off.</summary>
    public sealed class Fixture(TestServers servers) : MailedApp<TEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["RateLimiting:Enabled"] = "false",
            ["Signup:NewEntriesPerMinute"] = "1",
        };
    }
}

public sealed class NewEntryCeilingOffTestsOnSqlite(NewEntryCeilingOffTests<SqliteEngine>.Fixture app) : NewEntryCeilingOffTests<SqliteEngine>(app);

public sealed class NewEntryCeilingOffTestsOnPostgres(NewEntryCeilingOffTests<PostgresEngine>.Fixture app) : NewEntryCeilingOffTests<PostgresEngine>(app);

public sealed class NewEntryCeilingOffTestsOnMySql(NewEntryCeilingOffTests<MySqlEngine>.Fixture app) : NewEntryCeilingOffTests<MySqlEngine>(app);
