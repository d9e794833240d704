using System.Net;
using FluentValidation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Hosting;

/// <summary>
/// The defence behind the validators: a value that slips past them and that the database refuses (PostgreSQL's 22xxx
/// data exceptions, SQLite's FTS5 parse errors, MariaDB's strict mode) is the client's 400, logged as the validator
/// gap it is, never a database incident.
/// </summary>
public abstract class ValueRefusedByDatabaseTests<TEngine>(ValueRefusedByDatabaseTests<TEngine>.Fixture app)
    : IClassFixture<ValueRefusedByDatabaseTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    /// <summary>The app with validators that let everything through, as validators with a gap would.</summary>
    public sealed class Fixture(TestServers servers) : AppFixture<TEngine>(servers)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IValidator<ListingInput>>(new InlineValidator<ListingInput>());
            services.AddSingleton<IValidator<SignupInput>>(new InlineValidator<SignupInput>());
        });
    }

    private static bool IsMariaDb => typeof(TEngine) == typeof(MySqlEngine);

    private static bool IsSqlite => typeof(TEngine) == typeof(SqliteEngine);

    [Fact]
    public async Task A_nul_in_a_search_past_the_validator_is_a_400_where_the_database_refuses_it_and_never_an_incident()
    {
        var client = app.CreateClient();

        var page = await HtmlPage.GetAsync(client, "/users?q=abc%00def");

        // MariaDB compares a NUL like any other character; PostgreSQL (22021) and SQLite's FTS5 refuse it.
        Assert.Equal(IsMariaDb ? HttpStatusCode.OK : HttpStatusCode.BadRequest, page.Status);
        ResponseAssert.NoInternals(page);
        await AssertRefusalLoggedAsWarningOnlyAsync(client, refused: !IsMariaDb);
    }

    [Fact]
    public async Task A_username_longer_than_its_column_past_the_validator_is_a_400_where_the_database_refuses_it_and_stores_nothing()
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("long") + new string('x', 60);

        var page = await HtmlPage.ParseAsync(await client.SignUpAsync(name, $"long-{Guid.NewGuid():N}@example.com"));

        // SQLite ignores a column's declared length; PostgreSQL (22001) and MariaDB's strict mode refuse the value.
        Assert.Equal(IsSqlite ? HttpStatusCode.Redirect : HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(IsSqlite ? 1 : 0, await app.Db.CountUsersAsync("long-"));
        await AssertRefusalLoggedAsWarningOnlyAsync(client, refused: !IsSqlite);
    }

    [Fact]
    public async Task A_refused_value_among_signups_sent_together_fails_its_own_signup_only()
    {
        const int Together = 16;
        var clients = Enumerable.Range(0, Together).Select(_ => app.CreateClient()).ToList();
        var forms = await Task.WhenAll(clients.Select(client => client.GetSignupFormAsync()));
        var names = Enumerable.Range(0, Together).Select(_ => SignupClient.UniqueName("group")).ToList();
        names[Together / 2] += new string('x', 60);

        // Released together, they queue for the signup writer, which commits whatever is waiting as one group.
        var answers = await Task.WhenAll(clients.Select((client, i) => client.PostSignupAsync(forms[i], names[i], $"{names[i]}@example.com")));

        for (var i = 0; i < Together; i++)
        {
            var refused = i == Together / 2 && !IsSqlite;
            Assert.Equal(refused ? HttpStatusCode.BadRequest : HttpStatusCode.Redirect, answers[i].StatusCode);
            Assert.Equal(refused ? null : names[i], (await app.Db.FindUserAsync(names[i]))?.Username);
        }

        await AssertRefusalLoggedAsWarningOnlyAsync(clients[0], refused: !IsSqlite);
    }

    private async Task AssertRefusalLoggedAsWarningOnlyAsync(HttpClient client, bool refused)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        var logs = app.Logs.GetSnapshot();
        Assert.DoesNotContain(logs, entry => entry.Level >= LogLevel.Error);
        var warnings = logs.Where(entry => entry.Message.StartsWith("The database refused a value", StringComparison.Ordinal)).ToList();
        Assert.Equal(refused ? 1 : 0, warnings.Count);
        Assert.All(warnings, warning => Assert.DoesNotContain("abc", warning.Message, StringComparison.Ordinal));
        app.Logs.Clear();
    }
}

public sealed class ValueRefusedByDatabaseTestsOnSqlite(ValueRefusedByDatabaseTests<SqliteEngine>.Fixture app) : ValueRefusedByDatabaseTests<SqliteEngine>(app);

public sealed class ValueRefusedByDatabaseTestsOnPostgres(ValueRefusedByDatabaseTests<PostgresEngine>.Fixture app) : ValueRefusedByDatabaseTests<PostgresEngine>(app);

public sealed class ValueRefusedByDatabaseTestsOnMySql(ValueRefusedByDatabaseTests<MySqlEngine>.Fixture app) : ValueRefusedByDatabaseTests<MySqlEngine>(app);
