using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The form's invisible checks, with the minimum fill time on and a clock the test moves: a filled honeypot, a post
/// sooner than a person could type, and a tampered, missing or expired stamp all get the very answer a stored signup
/// gets, store and mail nothing, and are counted by reason; people who take their time, correct a 400, post the same
/// form again or post to another instance pass.
/// </summary>
public abstract class SignupBotCheckTests<TEngine>(SignupBotCheckTests<TEngine>.Fixture app) : IClassFixture<SignupBotCheckTests<TEngine>.Fixture>
    where TEngine : ITestEngine
{
    private static readonly TimeSpan FillTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FormLifetime = TimeSpan.FromHours(4);

    [Fact]
    public async Task A_filled_honeypot_gets_the_stored_signups_answer_and_nothing_is_stored_or_mailed()
    {
        await AssertRefusedAsIfStoredAsync("honeypot", "honey", form => form[SignupBotCheck.HoneypotField] = "https://spam.example/");
    }

    [Fact]
    public async Task A_post_sooner_than_a_person_could_fill_the_form_gets_the_stored_signups_answer_and_nothing_is_stored()
    {
        await AssertRefusedAsIfStoredAsync("too_fast", "quick", _ => app.Clock.Advance(FillTime / 2), pause: false);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("missing")]
    [InlineData("antiforgery")]
    public async Task A_tampered_or_missing_stamp_gets_the_stored_signups_answer_and_nothing_is_stored(string how)
    {
        await AssertRefusedAsIfStoredAsync("bad_stamp", "forged", form =>
        {
            var stamp = form[SignupBotCheck.StampField];
            switch (how)
            {
                case "tampered":
                    form[SignupBotCheck.StampField] = stamp[..^3] + (stamp[^3] == 'A' ? 'B' : 'A') + stamp[^2..];
                    break;
                case "missing":
                    form.Remove(SignupBotCheck.StampField);
                    break;
                default:
                    // Signed by the same keys for another purpose: not a stamp.
                    form[SignupBotCheck.StampField] = form["__RequestVerificationToken"];
                    break;
            }
        });
    }

    [Fact]
    public async Task A_stamp_older_than_the_forms_life_gets_the_stored_signups_answer_and_nothing_is_stored()
    {
        await AssertRefusedAsIfStoredAsync("expired_stamp", "stale", _ => app.Clock.Advance(FormLifetime));
    }

    [Fact]
    public async Task A_post_after_the_minimum_time_is_stored_and_the_same_form_may_be_posted_again_within_its_life()
    {
        var client = app.CreateClient();
        var form = await client.GetSignupFormAsync();
        app.Clock.Advance(FillTime);
        var first = SignupClient.UniqueName("patient");
        var again = SignupClient.UniqueName("again");

        var stored = await client.PostSignupAsync(form, first, $"{first}@example.com");
        app.Clock.Advance(FormLifetime - FillTime - TimeSpan.FromMinutes(1));
        var storedAgain = await client.PostSignupAsync(form, again, $"{again}@example.com");

        await AssertStoredAsync(stored, first);
        await AssertStoredAsync(storedAgain, again);
    }

    [Fact]
    public async Task Forms_rendered_within_a_twentieth_of_the_fill_time_share_a_stamp_and_a_later_one_gets_its_own()
    {
        var client = app.CreateClient();
        app.Clock.Advance(FillTime);
        var first = await client.GetSignupFormAsync();
        app.Clock.Advance(FillTime / 20 - TimeSpan.FromTicks(1));
        var soonAfter = await client.GetSignupFormAsync();
        app.Clock.Advance(TimeSpan.FromTicks(1));
        var later = await client.GetSignupFormAsync();

        Assert.Equal(first[SignupBotCheck.StampField], soonAfter[SignupBotCheck.StampField]);
        Assert.NotEqual(first[SignupBotCheck.StampField], later[SignupBotCheck.StampField]);
    }

    [Fact]
    public async Task A_400_corrected_and_posted_again_at_once_is_stored()
    {
        var client = app.CreateClient();
        var form = await client.GetSignupFormAsync();
        app.Clock.Advance(FillTime);
        var name = SignupClient.UniqueName("typo");

        var refused = await HtmlPage.ParseAsync(await client.PostSignupAsync(form, name, $"{name}@example"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var corrected = await client.PostSignupAsync(refused.FormValues(), name, $"{name}@example.com");

        await AssertStoredAsync(corrected, name);
    }

    [Fact]
    public async Task A_form_rendered_by_one_instance_is_accepted_by_another()
    {
        await using var other = app.StartAnotherInstance();
        var cookies = new System.Net.CookieContainer();
        var onA = app.Factory.CreateDefaultClient(new CookieContainerHandler(cookies));
        var onB = other.CreateDefaultClient(new CookieContainerHandler(cookies));
        var form = await onA.GetSignupFormAsync();
        app.Clock.Advance(FillTime);
        var name = SignupClient.UniqueName("across");

        await AssertStoredAsync(await onB.PostSignupAsync(form, name, $"{name}@example.com"), name);
    }

    [Fact]
    public async Task Refusals_are_logged_at_most_once_a_minute_without_what_was_posted()
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        app.Logs.Clear();
        var client = app.CreateClient();
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            if (i == 2)
            {
                app.Clock.Advance(TimeSpan.FromMinutes(1));
            }

            var form = await client.GetSignupFormAsync();
            form[SignupBotCheck.HoneypotField] = "honeypot-text";
            names.Add(SignupClient.UniqueName("logged"));
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, names[^1], $"{names[^1]}@example.com")).StatusCode);
        }

        var lines = app.Logs.GetSnapshot().Where(r => r.Category == typeof(SignupBotCheck).FullName).Select(r => r.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("(Honeypot)", lines[0], StringComparison.Ordinal);
        Assert.Contains("1 more were refused", lines[1], StringComparison.Ordinal);
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain("honeypot-text", line, StringComparison.Ordinal);
            Assert.All(names, name => Assert.DoesNotContain(name, line, StringComparison.Ordinal));
        });
    }

    private MetricCollector<long> Refusals() =>
        new(app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.signups.refused");

    /// <summary>
    /// A person's signup first, then one changed by <paramref name="spoil"/>: the same status and address for both, and
    /// the second stores no pending entry, no mail and no throttle count, and is counted under <paramref name="reason"/>.
    /// </summary>
    private async Task AssertRefusedAsIfStoredAsync(string reason, string prefix, Action<Dictionary<string, string>> spoil, bool pause = true)
    {
        using var refusals = Refusals();
        var client = app.CreateClient();
        var person = SignupClient.UniqueName("person");
        var personsForm = await client.GetSignupFormAsync();
        app.Clock.Advance(FillTime);
        var stored = await client.PostSignupAsync(personsForm, person, $"{person}@example.com");
        await AssertStoredAsync(stored, person);

        var form = await client.GetSignupFormAsync();
        if (pause)
        {
            app.Clock.Advance(FillTime);
        }

        spoil(form);
        var name = SignupClient.UniqueName(prefix);
        var throttled = await app.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_throttle");
        var refused = await client.PostSignupAsync(form, name, $"{name}@example.com");

        Assert.Equal(stored.StatusCode, refused.StatusCode);
        Assert.Equal(stored.Headers.Location, refused.Headers.Location);
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{name}@example.com'"));
        Assert.Equal(throttled, await app.Db.ScalarAsync<long>("SELECT COUNT(*) FROM mail_throttle"));
        var measured = Assert.Single(refusals.GetMeasurementSnapshot());
        Assert.Equal(reason, measured.Tags["reason"]);
    }

    private async Task AssertStoredAsync(HttpResponseMessage response, string name)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users/check-inbox", response.Headers.Location?.OriginalString);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE username = '{name}'"));
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{name}@example.com'"));
    }

    /// <summary>Confirmation on, the fill time on at its default, and a clock the test moves.</summary>
    public sealed class Fixture(TestServers servers) : ClockedMailedApp<TEngine>(servers)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["Signup:MinimumFillTime"] = "00:00:02",
            ["Signup:FormLifetime"] = "04:00:00",
        };
    }
}

public sealed class SignupBotCheckTestsOnSqlite(SignupBotCheckTests<SqliteEngine>.Fixture app) : SignupBotCheckTests<SqliteEngine>(app);

public sealed class SignupBotCheckTestsOnPostgres(SignupBotCheckTests<PostgresEngine>.Fixture app) : SignupBotCheckTests<PostgresEngine>(app);

public sealed class SignupBotCheckTestsOnMySql(SignupBotCheckTests<MySqlEngine>.Fixture app) : SignupBotCheckTests<MySqlEngine>(app);
