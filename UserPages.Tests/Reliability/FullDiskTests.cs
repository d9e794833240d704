using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Reliability;

/// <summary>
/// SQLite on a disk that really fills up: a small tmpfs holds the database, and a filler file takes the rest of it, so
/// SQLite's writes fail with SQLITE_FULL ("database or disk is full"), not the I/O error a file size limit gives.
/// Signups are a friendly 503 and one incident, and freeing the space recovers the same process.
/// </summary>
public sealed class FullDiskTests(TestServers servers)
{
    [Fact]
    public async Task A_disk_that_is_really_full_is_a_friendly_503_and_one_incident_and_recovers_once_space_is_freed()
    {
        await using var db = await SqliteEngine.CreateDatabaseAsync(servers);
        var directory = Path.GetDirectoryName(db.SqliteFile)!;
        await using var disk = await SmallDisk.MountAsync(directory);
        await db.MigrateAsync();
        await using var server = await AppServer.StartAsync(db.Settings);
        using var client = server.CreateClient();
        var form = await client.GetSignupFormAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, "fill-before", "fill-before@example.com")).StatusCode);

        // A commit may still fit in WAL pages the file already has; the next one that needs a new page is refused.
        var filler = Path.Combine(directory, "filler");
        FillTheDisk(filler);
        var stored = new List<string> { "fill-before" };
        var refused = 0;
        try
        {
            for (var i = 0; i < 200 && refused < 5; i++)
            {
                var name = $"fill-during-{i:000}";
                var page = await HtmlPage.ParseAsync(await client.PostSignupAsync(form, name, $"{name}@example.com"));
                if (page.Status == HttpStatusCode.Redirect)
                {
                    stored.Add(name);
                    continue;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
                Assert.Equal("Temporarily unavailable", page.Text("h1"));
                ResponseAssert.NoInternals(page);
                refused++;
            }

            Assert.Equal(5, refused);
        }
        finally
        {
            File.Delete(filler);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostSignupAsync(form, "fill-after", "fill-after@example.com")).StatusCode);
        await server.WaitForOutputAsync("The database answers again", 1);
        Assert.Contains("database or disk is full", server.Output, StringComparison.Ordinal);
        Assert.Equal(1, server.OutputCount("The database is failing"));
        // What was answered 302 is there, what was answered 503 is not.
        stored.Add("fill-after");
        Assert.Equal(Enumerable.Reverse(stored), (await db.ReadUsersAsync()).Where(user => user.Username.StartsWith("fill-", StringComparison.Ordinal)).OrderByDescending(user => user.Id).Select(user => user.Username));
    }

    /// <summary>Writes until the filesystem refuses another byte.</summary>
    private static void FillTheDisk(string filler)
    {
        // Unbuffered, so closing it has nothing left to write.
        using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full, which is the point.
        }
    }

    /// <summary>A 4 MiB tmpfs mounted over the database's directory, unmounted once the app's connections are closed.</summary>
    private sealed class SmallDisk(string directory) : IAsyncDisposable
    {
        /// <summary>Mounts it, or skips the test where that cannot be done (it needs root); under CI it fails instead.</summary>
        public static async Task<SmallDisk> MountAsync(string directory)
        {
            if (await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", directory) is { } failure)
            {
                throw TestServers.Unavailable($"A tmpfs cannot be mounted here ({failure.Trim()}); the real full-disk test needs root.", "it");
            }

            return new SmallDisk(directory);
        }

        public async ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "--lazy", directory);
        }
    }

    /// <summary>Runs a command; null on success, else what it printed.</summary>
    private static async Task<string?> RunAsync(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : error;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return exception.Message;
        }
    }
}
