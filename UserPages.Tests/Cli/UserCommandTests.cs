using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;
using UserPages.Tests.Pages.Users.Manage;

namespace UserPages.Tests.Cli;

/// <summary>
/// <c>users find</c>, <c>remove</c> and <c>export</c> run as an operator runs them, as a process beside the serving app:
/// what they print, and what people see over HTTP and in their mail afterwards.
/// </summary>
public abstract class UserCommandTests<TEngine>(MailedApp<TEngine> app) : IClassFixture<MailedApp<TEngine>>
    where TEngine : ITestEngine
{
    private const string Reason = "ticket 4711: erasure request";

    [Fact]
    public async Task Find_shows_a_listed_entry_by_email_or_username_and_a_pending_one_without_an_id()
    {
        var (username, email) = await app.ListedAsync();
        var id = (await app.Db.FindUserAsync(username))!.Id;
        var pendingName = SignupClient.UniqueName("p");
        var pendingEmail = $"{pendingName}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(pendingName, pendingEmail)).StatusCode);

        var byEmail = await UsersAsync("find", "--email", $" {email.ToUpperInvariant()}");
        var byName = await UsersAsync("find", "--username", username.ToUpperInvariant());
        var pendingByEmail = await UsersAsync("find", "--email", pendingEmail);
        var pendingByName = await UsersAsync("find", "--username", pendingName);

        foreach (var found in new[] { byEmail, byName })
        {
            Assert.True(found.ExitCode == 0, found.Error);
            var lines = found.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal([$"id:        {id}", "state:     listed (confirmed)", $"username:  {username}", $"email:     {email}"], lines.Take(4));
            Assert.Matches(@"^created:   \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", lines[4]);
            Assert.Matches(@"^confirmed: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", lines[5]);
        }

        foreach (var found in new[] { pendingByEmail, pendingByName })
        {
            Assert.True(found.ExitCode == 0, found.Error);
            var lines = found.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("id:        none yet (remove it with --email)", lines[0]);
            Assert.StartsWith("state:     pending", lines[1], StringComparison.Ordinal);
            Assert.Equal($"username:  {pendingName}", lines[2]);
            Assert.Matches(@"^expires:   \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", lines[5]);
        }

        var nothing = await UsersAsync("find", "--email", "nobody-at-all@example.com");
        Assert.Equal(1, nothing.ExitCode);
        Assert.Equal("", nothing.Output);
        Assert.Equal("users find: no entry, listed or pending, has that email.", OneLine(nothing.Error));
    }

    [Fact]
    public async Task Remove_by_id_is_a_self_delete_gone_everywhere_with_mail_withdrawn_a_goodbye_and_a_log_line_without_the_address()
    {
        var (username, email) = await app.ListedAsync();
        var id = (await app.Db.FindUserAsync(username))!.Id;
        var reader = app.CreateClient();
        Assert.Contains(username, (await HtmlPage.GetAsync(reader, "/users")).Texts(".user-list .username"));
        var totalBefore = Total(await HtmlPage.GetAsync(reader, "/users"));

        var removed = await UsersAsync("remove", "--id", id.ToString(CultureInfo.InvariantCulture), "--reason", Reason);

        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.Equal($"Removed entry {id}; its links and queued mail are gone, and a goodbye is mailed.", removed.Output.Trim());
        var logLine = OneLine(removed.Error);
        Assert.Contains($"Entry {id} removed by an operator (goodbye mailed): {Reason}", logLine, StringComparison.Ordinal);
        Assert.DoesNotContain(email, removed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(username, removed.Error, StringComparison.OrdinalIgnoreCase);
        var listing = await HtmlPage.GetAsync(reader, "/users");
        Assert.DoesNotContain(username, listing.Texts(".user-list .username"));
        Assert.Equal(totalBefore - 1, Total(listing));
        Assert.Empty((await HtmlPage.GetAsync(reader, $"/users?q={username}")).Texts(".user-list .username"));
        Assert.Equal(HttpStatusCode.NotFound, (await HtmlPage.GetAsync(reader, $"/users/{id}")).Status);
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM entry_tokens WHERE user_id = {id}"));
        Assert.Equal([EntryMail.GoodbyeSubject], await app.Db.QueryAsync<string>($"SELECT subject FROM mail_outbox WHERE recipient = '{email}'"));
        await app.MailToAsync(email, EntryMail.GoodbyeSubject);

        // Name and address are free again: a new signup with both is a new pending entry, not a 409 or a notice.
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(username, email)).StatusCode);
        await app.NthMailToAsync(email, EntryMail.ConfirmSignupSubject, 2);
        var again = await UsersAsync("remove", "--id", id.ToString(CultureInfo.InvariantCulture), "--reason", Reason);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"users remove: no listed entry has id {id}.", OneLine(again.Error));
    }

    [Fact]
    public async Task Remove_by_email_takes_a_pending_signup_with_its_mail_and_a_listed_entry_without_mail_when_asked()
    {
        var pendingName = SignupClient.UniqueName("p");
        var pendingEmail = $"{pendingName}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(pendingName, pendingEmail)).StatusCode);
        var (username, email) = await app.ListedAsync();
        var id = (await app.Db.FindUserAsync(username))!.Id;

        var pending = await UsersAsync("remove", "--email", pendingEmail, "--reason", Reason);
        var listed = await UsersAsync("remove", "--email", email, "--reason", "abuse report 12", "--no-mail");

        Assert.True(pending.ExitCode == 0, pending.Error);
        Assert.StartsWith("Removed the pending signup with that email", pending.Output, StringComparison.Ordinal);
        Assert.Matches($@"Pending signup \d+ removed by an operator: {Reason}$", OneLine(pending.Error));
        Assert.Equal(0, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE email = '{pendingEmail}'"));
        Assert.Empty(await app.Db.QueryAsync<string>($"SELECT subject FROM mail_outbox WHERE recipient = '{pendingEmail}'"));
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains($"Entry {id} removed by an operator (no mail): abuse report 12", OneLine(listed.Error), StringComparison.Ordinal);
        Assert.DoesNotContain(email, listed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await app.Db.FindUserAsync(username));
        Assert.Empty(await app.Db.QueryAsync<string>($"SELECT subject FROM mail_outbox WHERE recipient = '{email}'"));
        Assert.Equal(HttpStatusCode.Redirect, (await app.CreateClient().SignUpAsync(pendingName, pendingEmail)).StatusCode);
        Assert.Equal(1, await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM pending_signups WHERE email = '{pendingEmail}'"));
    }

    [Fact]
    public async Task Export_writes_the_same_json_as_the_persons_own_download()
    {
        var (username, email) = await app.ListedAsync();
        var id = (await app.Db.FindUserAsync(username))!.Id;
        var client = await app.OpenSessionAsync(email);
        await client.SubmitAsync(await client.EntryPageAsync(), "#email", new() { ["EmailChange.Email"] = $"{username}-next@example.com" });
        await UntilSentAsync(email);
        var download = await client.SubmitAsync(await client.EntryPageAsync(), "#download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var downloaded = await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var file = Path.Combine(Path.GetTempPath(), $"userpages-export-{Guid.NewGuid():N}.json");

        try
        {
            var byId = await UsersAsync("export", "--id", id.ToString(CultureInfo.InvariantCulture));
            var toFile = await UsersAsync("export", "--email", email, "--to", file);
            var again = await UsersAsync("export", "--email", email, "--to", file);

            Assert.True(byId.ExitCode == 0, byId.Error);
            Assert.Equal("", byId.Error);
            Assert.True(JsonNode.DeepEquals(WithoutExportTime(downloaded), WithoutExportTime(byId.Output)), byId.Output);
            Assert.True(toFile.ExitCode == 0, toFile.Error);
            Assert.Equal($"Wrote entry {id}'s data to {file}.", toFile.Output.Trim());
            Assert.True(JsonNode.DeepEquals(WithoutExportTime(downloaded), WithoutExportTime(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Equal(2, again.ExitCode);
            Assert.Equal($"users export refused: {file} exists; pass --force to replace it.", OneLine(again.Error));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(1, "users remove: no listed entry has id 999999999.", "remove", "--id", "999999999", "--reason", Reason)]
    [InlineData(1, "users export: no listed entry has id 999999999.", "export", "--id", "999999999")]
    [InlineData(1, "users export: no entry, listed or pending, has that email.", "export", "--email", "nobody-at-all@example.com")]
    [InlineData(2, "UserPages users remove: name the entry with --id or --email, not both. See 'UserPages users remove --help'.", "remove", "--id", "1", "--email", "a@example.com", "--reason", Reason)]
    [InlineData(2, "UserPages users remove: name the entry with --id or --email. See 'UserPages users remove --help'.", "remove", "--reason", Reason)]
    [InlineData(2, "UserPages users export: name the entry with --id or --email. See 'UserPages users export --help'.", "export")]
    [InlineData(2, "UserPages users find: name the entry with --email or --username, not both. See 'UserPages users find --help'.", "find", "--email", "a@example.com", "--username", "a")]
    [InlineData(2, "UserPages users remove: Option '--reason' is required. See 'UserPages users remove --help'.", "remove", "--id", "1")]
    [InlineData(2, "UserPages users remove: --reason goes into the log, which never keeps an email address: name the ticket instead. See 'UserPages users remove --help'.", "remove", "--id", "1", "--reason", "from a@example.com")]
    [InlineData(2, "UserPages users remove: --id takes a whole number, not 'abc'. See 'UserPages users remove --help'.", "remove", "--id", "abc", "--reason", Reason)]
    public async Task A_failure_exits_non_zero_with_one_line_and_changes_nothing(int exitCode, string line, params string[] args)
    {
        var totalBefore = await app.Db.ScalarAsync<long>("SELECT COUNT(*) FROM users");

        var result = await UsersAsync(args);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(line, OneLine(result.Error));
        Assert.Equal(totalBefore, await app.Db.ScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task With_the_database_down_each_command_fails_with_one_line_and_help_works_without_it()
    {
        foreach (var args in new[] { ["find", "--email", "a@example.com"], ["remove", "--id", "1", "--reason", Reason], new[] { "export", "--id", "1" } })
        {
            var result = await AppProcess.RunAsync(app.Db.UnreachableSettings, ["users", .. args]);

            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith($"users {args[0]} failed: ", OneLine(result.Error), StringComparison.Ordinal);
        }

        var help = await AppProcess.RunAsync(app.Db.UnreachableSettings, "help", "users", "remove");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--reason", help.Output, StringComparison.Ordinal);
        Assert.Contains("--no-mail", help.Output, StringComparison.Ordinal);
    }

    private Task<ProcessResult> UsersAsync(params string[] args) => AppProcess.RunAsync(app.Db.Settings, ["users", .. args]);

    private static string OneLine(string text) => Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r');

    private static JsonObject WithoutExportTime(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.True(node.Remove("exported_at"));
        return node;
    }

    // The sender marks mail sent a moment after the SMTP server has it: both reads must see the same states.
    private async Task UntilSentAsync(string email)
    {
        for (var i = 0; i < 100 && await app.Db.ScalarAsync<long>($"SELECT COUNT(*) FROM mail_outbox WHERE recipient = '{email}' AND state <> 1") > 0; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static long Total(HtmlPage listing) =>
        listing.Text("#user-count") is { } count && count.StartsWith("No one", StringComparison.Ordinal)
            ? 0
            : long.Parse(listing.Text("#user-count")!.Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}

public sealed class UserCommandTestsOnSqlite(MailedApp<SqliteEngine> app) : UserCommandTests<SqliteEngine>(app);

public sealed class UserCommandTestsOnPostgres(MailedApp<PostgresEngine> app) : UserCommandTests<PostgresEngine>(app);

public sealed class UserCommandTestsOnMySql(MailedApp<MySqlEngine> app) : UserCommandTests<MySqlEngine>(app);
