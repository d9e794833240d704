using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// `backup --to FILE` as operators run it: the built CLI as a child process against the SQLite file a running app
/// (another child process) is writing signups to.
/// </summary>
public sealed class BackupCommandTests(DatabaseFixture<SqliteEngine> database) : IClassFixture<DatabaseFixture<SqliteEngine>>, IDisposable
{
    public const int Workers = 4;
    public const int AcknowledgedBeforeBackup = 60;

    private readonly DirectoryInfo _backups = Directory.CreateTempSubdirectory("userpages-backup-");

    [Fact]
    public async Task A_backup_taken_during_a_signup_stream_is_intact_and_holds_every_signup_acknowledged_before_it_began()
    {
        var file = Path.Combine(_backups.FullName, "during.db");
        var acknowledged = new ConcurrentQueue<string>();
        await using var server = await AppServer.StartAsync(database.Db.Settings);
        using var stop = new CancellationTokenSource();
        var stream = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            var form = await client.GetSignupFormAsync();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"stream-{worker}-{i}";
                var response = await client.PostSignupAsync(form, name, $"{name}@example.com");
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                acknowledged.Enqueue(name);
            }
        })).ToList();

        while (acknowledged.Count < AcknowledgedBeforeBackup && stream.All(worker => !worker.IsCompleted))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var before = acknowledged.ToList();
        var backup = await AppProcess.RunAsync(database.Db.Settings, "backup", "--to", file);
        var duringBackup = acknowledged.Count - before.Count;
        await stop.CancelAsync();
        await Task.WhenAll(stream);

        Assert.True(backup.ExitCode == 0, $"backup exited with {backup.ExitCode}: {backup.Error}\nThe app printed:\n{server.Output}");
        Assert.Matches(@"^Backed up \d+ users? to ", backup.Output);
        Assert.True(duringBackup > 0, "No signup was acknowledged while the backup ran: it did not run during the stream.");
        await using var copy = TestDatabase.OpenSqlite(file);
        Assert.Equal("ok", await copy.ScalarAsync<string>("PRAGMA integrity_check"));
        var stored = (await copy.QueryAsync<string>("SELECT username FROM users")).ToHashSet();
        Assert.All(before, name => Assert.Contains(name, stored));
    }

    [Fact]
    public async Task An_existing_file_is_refused_in_one_line_and_left_alone_unless_forced()
    {
        var file = Path.Combine(_backups.FullName, "existing.db");
        await File.WriteAllTextAsync(file, "precious", TestContext.Current.CancellationToken);

        var refused = await AppProcess.RunAsync(database.Db.Settings, "backup", "--to", file);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal($"backup refused: {file} exists; pass --force to replace it.", refused.Error.TrimEnd());
        Assert.Equal("precious", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));

        var forced = await AppProcess.RunAsync(database.Db.Settings, "backup", "--to", file, "--force");

        Assert.Equal(0, forced.ExitCode);
        await using var copy = TestDatabase.OpenSqlite(file);
        Assert.Equal("ok", await copy.ScalarAsync<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_relative_path_lands_in_the_working_directory_and_the_output_names_the_full_path()
    {
        var info = AppProcess.StartInfo(database.Db.Settings, "Production", "backup", "--to", "relative.db");
        info.WorkingDirectory = _backups.FullName;

        var result = await AppProcess.RunAsync(info);

        var file = Path.Combine(_backups.FullName, "relative.db");
        Assert.True(result.ExitCode == 0, $"backup exited with {result.ExitCode}: {result.Error}");
        Assert.Matches($@"^Backed up \d+ users? to {Regex.Escape(file)} ", result.Output);
        await using var copy = TestDatabase.OpenSqlite(file);
        Assert.Equal("ok", await copy.ScalarAsync<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_failed_backup_says_why_in_one_line_and_leaves_no_file()
    {
        var file = Path.Combine(_backups.FullName, "no-such-folder", "copy.db");

        var result = await AppProcess.RunAsync(database.Db.Settings, "backup", "--to", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("backup failed: ", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(_backups.EnumerateFileSystemInfos());
    }

    [Theory]
    [InlineData("postgres", "Host=127.0.0.1;Database=userpages;Username=userpages", "pg_dump")]
    [InlineData("mysql", "Server=127.0.0.1;Database=userpages;User ID=userpages", "mariadb-dump")]
    public async Task On_a_server_engine_it_names_the_engines_own_dump_tool_and_exits_non_zero(string provider, string connectionString, string tool)
    {
        var settings = new Dictionary<string, string> { ["Database:Provider"] = provider, ["ConnectionStrings:Users"] = connectionString };

        var result = await AppProcess.RunAsync(settings, "backup", "--to", Path.Combine(_backups.FullName, "server.db"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(tool, Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Empty(_backups.EnumerateFileSystemInfos());
    }

    public void Dispose() => _backups.Delete(recursive: true);
}
