using System.Net;
using AngleSharp.Dom;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// Bots and attackers request garbage: every hostile path, query string, cursor and method gets a sane page or a
/// friendly 4xx, never a 5xx, a stack trace or a database incident, and changes nothing.
/// </summary>
public abstract class HostileAddressTests<TEngine>(AppFixture<TEngine> app) : IClassFixture<AppFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Theory]
    [MemberData(nameof(HostileInputs.ListingUrls), MemberType = typeof(HostileInputs))]
    public async Task A_hostile_listing_address_answers_200_400_or_404_never_5xx(string url)
    {
        var page = await HtmlPage.GetAsync(app.CreateClient(), url);

        Assert.Contains(page.Status, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound });
        ResponseAssert.NoInternals(page);
        if (page.Status != HttpStatusCode.OK)
        {
            Assert.False(string.IsNullOrWhiteSpace(page.Text("h1")));
        }
    }

    [Theory]
    [MemberData(nameof(HostileInputs.NotPlainTextUrls), MemberType = typeof(HostileInputs))]
    public async Task An_address_that_is_not_plain_text_is_a_friendly_400_and_no_database_incident(string url)
    {
        var client = app.CreateClient();

        var page = await HtmlPage.GetAsync(client, url);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Bad request", page.Text("h1"));
        ResponseAssert.NoInternals(page);
        Assert.DoesNotContain(page.Response.Headers, header => header.Value.Any(value => value.Contains("admin", StringComparison.Ordinal)));
        await AssertNoIncidentAsync(client);
    }

    [Theory]
    [MemberData(nameof(HostileInputs.OddButPlainSearches), MemberType = typeof(HostileInputs))]
    public async Task A_search_of_bidi_invisible_or_look_alike_characters_is_searched_as_text_and_echoed_as_typed(string term)
    {
        var client = app.CreateClient();

        var page = await HtmlPage.GetAsync(client, $"/users?q={Uri.EscapeDataString(term)}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"No users match “{term}”.", page.Text("#user-count"));
        Assert.Equal(term, page.Document.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
        await AssertNoIncidentAsync(client);
    }

    [Fact]
    public async Task Megabyte_query_strings_are_answered_without_a_5xx()
    {
        var client = app.CreateClient();
        var megabyte = 1024 * 1024;

        var longSearch = await HtmlPage.GetAsync(client, "/users?q=" + new string('x', megabyte));
        Assert.Equal(HttpStatusCode.BadRequest, longSearch.Status);
        Assert.Equal("A search is at most 100 characters long.", longSearch.Text("#q-error"));

        // A key no page reads is ignored, however long; one that is not text is refused, however long.
        Assert.Equal(HttpStatusCode.OK, (await HtmlPage.GetAsync(client, "/users?x=" + new string('x', megabyte))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await HtmlPage.GetAsync(client, "/users?x=" + string.Concat(Enumerable.Repeat("%FF", megabyte / 3)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await HtmlPage.GetAsync(client, "/users?" + string.Join('&', Enumerable.Range(0, 50_000).Select(i => $"k{i}=v")))).Status);
        await AssertNoIncidentAsync(client);
    }

    [Theory]
    [MemberData(nameof(HostileInputs.UnhandledMethods), MemberType = typeof(HostileInputs))]
    public async Task A_method_the_page_does_not_handle_is_a_friendly_405_with_allow_and_changes_nothing(string method, string url, string allow)
    {
        var client = app.CreateClient();
        var name = SignupClient.UniqueName("method");
        var form = await client.GetSignupFormAsync();
        form["Input.Username"] = name;
        form["Input.Email"] = $"{name}@example.com";
        var before = await app.Db.CountUsersAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative))
        {
            // A valid signup as the body: the method alone is what is refused.
            Content = method == "TRACE" ? null : new FormUrlEncodedContent(form),
        };

        var page = await HtmlPage.ParseAsync(await client.SendAsync(request));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, page.Status);
        Assert.Equal(allow, ResponseAssert.Header(page.Response, "Allow"));
        Assert.Equal("Method not allowed", page.Text("h1"));
        Assert.Equal("DENY", ResponseAssert.Header(page.Response, "X-Frame-Options"));
        Assert.Equal(before, await app.Db.CountUsersAsync());
    }

    [Theory]
    [MemberData(nameof(HostileInputs.ControlCharactersInUnreadValues), MemberType = typeof(HostileInputs))]
    public async Task A_control_character_in_a_value_no_page_reads_is_ignored_like_the_key(string url)
    {
        var client = app.CreateClient();
        var plain = await HtmlPage.GetAsync(client, url[..url.IndexOf('?', StringComparison.Ordinal)]);

        var page = await HtmlPage.GetAsync(client, url);

        Assert.Equal(plain.Status, page.Status);
        ResponseAssert.NoInternals(page);
        Assert.DoesNotContain(page.Response.Headers, header => header.Value.Any(value => value.Contains("admin", StringComparison.Ordinal)));
        await AssertNoIncidentAsync(client);
    }

    [Fact]
    public async Task A_tampered_cursor_lists_exactly_the_users_on_that_side_of_the_position_it_names()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var name = SignupClient.UniqueName("cursor");
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        }

        var rows = await app.Db.ReadUsersAsync();
        var middle = rows.OrderBy(row => row.Id).ElementAt(rows.Count / 2);
        var newestFirst = rows.OrderByDescending(row => row.Id).ToList();
        var microsecond = TimeSpan.TicksPerMillisecond / 1000;
        foreach (var (ticks, id) in new[]
        {
            (middle.CreatedAt.Ticks, middle.Id), (middle.CreatedAt.Ticks + microsecond, middle.Id), (middle.CreatedAt.Ticks - microsecond, middle.Id),
            (middle.CreatedAt.Ticks, middle.Id + 1), (middle.CreatedAt.Ticks, middle.Id - 1), (middle.CreatedAt.Ticks, long.MaxValue),
            (middle.CreatedAt.Ticks + TimeSpan.TicksPerSecond, 1), (0, 1), (DateTime.MaxValue.Ticks - (DateTime.MaxValue.Ticks % TimeSpan.TicksPerSecond), 1),
        })
        {
            // The listing is in id order: a link of the old ticks_id form lists by its id, as the id form does.
            foreach (var position in new[] { $"{ticks}_{id}", $"{id}" })
            {
                var older = await HtmlPage.GetAsync(client, $"/users?before={position}");
                var newer = await HtmlPage.GetAsync(client, $"/users?after={position}");

                Assert.Equal(HttpStatusCode.OK, older.Status);
                Assert.Equal(newestFirst.Where(row => row.Id < id).Take(50).Select(row => row.Username), older.Texts(".user-list .username"));
                Assert.Equal(HttpStatusCode.OK, newer.Status);
                Assert.Equal(newestFirst.Where(row => row.Id > id).TakeLast(50).Select(row => row.Username), newer.Texts(".user-list .username"));
            }
        }
    }

    private async Task AssertNoIncidentAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.DoesNotContain(app.Logs.GetSnapshot(), entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}

public sealed class HostileAddressTestsOnSqlite(AppFixture<SqliteEngine> app) : HostileAddressTests<SqliteEngine>(app);

public sealed class HostileAddressTestsOnPostgres(AppFixture<PostgresEngine> app) : HostileAddressTests<PostgresEngine>(app);

public sealed class HostileAddressTestsOnMySql(AppFixture<MySqlEngine> app) : HostileAddressTests<MySqlEngine>(app);
