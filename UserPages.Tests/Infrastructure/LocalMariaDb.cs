using System.Diagnostics;
using MySqlConnector;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A throwaway MariaDB server: <c>mariadb-install-db</c> into a temporary directory, then <c>mariadbd</c> as a child
/// process. <c>--no-defaults</c> keeps the machine's own configuration (and its server defaults) out of the tests.
/// </summary>
public sealed class LocalMariaDb : LocalServer
{
    private readonly string _server;
    private readonly string _installer;
    private Process? _process;

    private LocalMariaDb(string server, string installer)
        : base("userpages-mariadb-", "mariadb.pid")
    {
        _server = server;
        _installer = installer;
    }

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>
    /// The server's own temporary directory. Every mariadbd deletes all <c>#sql*</c> files in its tmpdir when it
    /// starts, so servers sharing /tmp delete each other's temporary tables: a bootstrap running beside the outage
    /// tests' second server failed with "Unknown table 'mysql.tmp_user_sys'".
    /// </summary>
    private string TemporaryDirectory => Path.Combine(Directory, "tmp");

    public override string ConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = "root",
        Password = Password,
        // As for the test PostgreSQL: room for 64 racing requests over 20 pooled connections on a loaded CI machine.
        ConnectionTimeout = 30,
    }.ConnectionString;

    /// <summary>The installed <c>mariadbd</c> and <c>mariadb-install-db</c>, or null when either is missing.</summary>
    public static (string Server, string Installer)? FindBinaries()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin"]).ToList();
        var server = path.Select(dir => Path.Combine(dir, "mariadbd")).FirstOrDefault(File.Exists);
        var installer = path.Select(dir => Path.Combine(dir, "mariadb-install-db")).FirstOrDefault(File.Exists);
        return server is null || installer is null ? null : (server, installer);
    }

    public static async Task<LocalMariaDb> StartNewAsync((string Server, string Installer) binaries)
    {
        var server = new LocalMariaDb(binaries.Server, binaries.Installer);
        return await SetUpAsync(server, async () =>
        {
            System.IO.Directory.CreateDirectory(server.TemporaryDirectory);
            await RunAsync(
                server._installer, "--no-defaults", $"--datadir={server.DataDirectory}", $"--tmpdir={server.TemporaryDirectory}",
                $"--user={Environment.UserName}", "--auth-root-authentication-method=normal", "--skip-test-db");
            await server.StartAsync(password: "");

            // Freshly installed, root has no password; give it one so wrong credentials can be told apart.
            await using var connection = new MySqlConnection(server.ConnectionString.Replace(Password, "", StringComparison.Ordinal));
            await connection.OpenAsync();
            await using var command = new MySqlCommand($"ALTER USER 'root'@'localhost' IDENTIFIED BY '{Password}'", connection);
            await command.ExecuteNonQueryAsync();
        });
    }

    public override Task StartAsync() => StartAsync(Password);

    private async Task StartAsync(string password)
    {
        var info = new ProcessStartInfo(_server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--no-defaults",
            $"--datadir={DataDirectory}",
            $"--tmpdir={TemporaryDirectory}",
            $"--port={Port}",
            "--bind-address=127.0.0.1",
            // Not UTC on purpose: created_at must come out in UTC whatever the server's time zone.
            "--default-time-zone=-03:00",
            $"--socket={Path.Combine(Directory, "mariadb.sock")}",
            $"--pid-file={Path.Combine(Directory, "mariadb.pid")}",
            $"--log-error={LogFile}",
            $"--user={Environment.UserName}",
            "--skip-log-bin",
            "--max-connections=300",
            "--innodb-buffer-pool-size=64M",
            // Commits reach the OS but are not synced: they survive the server being killed (the outage tests do
            // that), not a power cut, which no test needs.
            "--innodb-flush-log-at-trx-commit=2",
            "--innodb-doublewrite=0",
        })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var builder = new MySqlConnectionStringBuilder(ConnectionString) { Password = password, Pooling = false };
        await WaitUntilReadyAsync(
            async () =>
            {
                await using var connection = new MySqlConnection(builder.ConnectionString);
                await connection.OpenAsync();
            },
            LogFile,
            () => _process.HasExited);
    }

    // mariadbd is one process, and stopping it is a crash already.
    public override Task CrashAsync() => StopAsync();

    public override async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            // Killed outright, as in a crash: InnoDB recovers on the next start.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    protected override void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
    }
}
