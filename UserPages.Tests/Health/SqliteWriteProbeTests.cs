using System.Net;
using System.Security.Cryptography;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Health;

/// <summary>
/// While a database incident is open, /healthz on SQLite commits a write to prove the disk takes one again; the write
/// changes no schema and no row, since other processes may be using the same file.
/// </summary>
public sealed class SqliteWriteProbeTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    [Fact]
    public async Task During_an_incident_healthz_commits_a_write_that_changes_no_schema_and_no_row()
    {
        var client = app.CreateClient();
        foreach (var name in new[] { SignupClient.UniqueName("probe"), SignupClient.UniqueName("probe") })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(name, $"{name}@example.com")).StatusCode);
        }

        var file = app.Db.SqliteFile;
        var directory = Path.GetDirectoryName(file)!;
        var schema = await app.Db.ScalarAsync<long>("PRAGMA schema_version");
        var users = await app.Db.CountUsersAsync();

        // The incident: the database's directory goes away under the app, as an unmounted volume would.
        Directory.Move(directory, directory + "-away");
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/users", UriKind.Relative))).StatusCode);
        }
        finally
        {
            Directory.Move(directory + "-away", directory);
        }

        var walBefore = Hash(file + "-wal");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        Assert.NotEqual(walBefore, Hash(file + "-wal"));
        Assert.Equal(schema, await app.Db.ScalarAsync<long>("PRAGMA schema_version"));
        Assert.Equal(users, await app.Db.CountUsersAsync());
        // The listing's total is the row the probe moves and moves back.
        Assert.Equal($"{users} users have signed up.", (await HtmlPage.GetAsync(client, "/users")).Text("#user-count"));
        Assert.Contains(app.Logs.GetSnapshot(), entry => entry.Message.StartsWith("The database answers again", StringComparison.Ordinal));
    }

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
