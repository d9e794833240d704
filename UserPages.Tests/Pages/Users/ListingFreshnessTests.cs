using System.Net;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The listing keeps its rendered pages between requests, and is still exact on every request: a signup committed by
/// another process, or by the seed command, shows on the very next listing, and the one-time welcome is only ever
/// shown once, to the person who signed up. Two real app processes on one database of <typeparamref name="TEngine"/>.
/// </summary>
public abstract class ListingFreshnessTests<TEngine>(ListingFreshnessTests<TEngine>.Fixture database) : IClassFixture<ListingFreshnessTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    /// <summary>The two app processes, A and B, started once for the class: each test's clients are its own.</summary>
    public sealed class Fixture(TestServers servers) : DatabaseFixture<TEngine>(servers)
    {
        private AppServer? _a;
        private AppServer? _b;

        public AppServer A => Available(_a);

        public AppServer B => Available(_b);

        protected override async Task OnMigratedAsync()
        {
            var started = await Task.WhenAll(AppServer.StartAsync(Db.Settings), AppServer.StartAsync(Db.Settings));
            (_a, _b) = (started[0], started[1]);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            foreach (var server in new[] { _a, _b })
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }

            await base.DisposeAsyncCore();
        }
    }

    [Fact]
    public async Task A_signup_through_one_process_shows_at_once_on_another_that_served_the_listing_before()
    {
        using var reader = database.A.CreateClient();
        using var writer = database.B.CreateClient();

        // A has the page kept before anything changes.
        await HtmlPage.GetAsync(reader, "/users");
        await HtmlPage.GetAsync(reader, "/users");
        for (var round = 0; round < 3; round++)
        {
            var name = SignupClient.UniqueName("fresh");
            Assert.Equal(HttpStatusCode.Redirect, (await writer.SignUpAsync(name, $"{name}@example.com")).StatusCode);

            var after = await HtmlPage.GetAsync(reader, "/users");
            Assert.Equal(name, after.Texts(".user-list .username")[0]);
            Assert.Equal(await database.Db.CountUsersAsync(), ParseTotal(after));
        }
    }

    [Fact]
    public async Task Users_seeded_by_the_command_line_show_on_the_very_next_listing()
    {
        using var client = database.A.CreateClient();
        var total = ParseTotal(await HtmlPage.GetAsync(client, "/users"));

        var seeded = await AppProcess.RunAsync(database.Db.Settings, "seed", "--users", "7", "--force");
        Assert.Equal(0, seeded.ExitCode);

        var after = await HtmlPage.GetAsync(client, "/users");
        Assert.Equal(total + 7, ParseTotal(after));
        Assert.Equal(await database.Db.CountUsersAsync(), ParseTotal(after));
    }

    [Fact]
    public async Task The_welcome_is_shown_once_to_the_person_who_signed_up_and_never_to_anyone_else()
    {
        using var newcomer = database.B.CreateClient();
        using var onlookerOnA = database.A.CreateClient();
        using var onlookerOnB = database.B.CreateClient();
        var name = SignupClient.UniqueName("welcome");

        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.SignUpAsync(name, $"{name}@example.com")).StatusCode);

        // Others asked first, so the page they get (and that is kept) is the one after the signup, without a welcome.
        foreach (var onlooker in new[] { onlookerOnA, onlookerOnB, onlookerOnA, onlookerOnB })
        {
            var seen = await HtmlPage.GetAsync(onlooker, "/users");
            Assert.Equal(name, seen.Texts(".user-list .username")[0]);
            Assert.Empty(seen.Texts(".flash"));
        }

        var welcomed = await HtmlPage.GetAsync(newcomer, "/users");
        Assert.Equal([$"Welcome, {name}! Your account was created."], welcomed.Texts(".flash"));
        Assert.Equal(name, welcomed.Texts(".user-list .username")[0]);

        // Used up: neither the newcomer nor anyone after sees it again, on either instance.
        foreach (var client in new[] { newcomer, onlookerOnA, onlookerOnB, newcomer })
        {
            Assert.Empty((await HtmlPage.GetAsync(client, "/users")).Texts(".flash"));
        }
    }

    private static long ParseTotal(HtmlPage page) => page.Text("#user-count")!.StartsWith("No one", StringComparison.Ordinal) ? 0 :
        long.Parse(page.Text("#user-count")!.Split(' ')[0], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ListingFreshnessTestsOnSqlite(ListingFreshnessTests<SqliteEngine>.Fixture database) : ListingFreshnessTests<SqliteEngine>(database);

public sealed class ListingFreshnessTestsOnPostgres(ListingFreshnessTests<PostgresEngine>.Fixture database) : ListingFreshnessTests<PostgresEngine>(database);

public sealed class ListingFreshnessTestsOnMySql(ListingFreshnessTests<MySqlEngine>.Fixture database) : ListingFreshnessTests<MySqlEngine>(database);
