using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a temporary directory, <c>pg_ctl</c> to start and stop it.
/// initdb refuses to run as root, so under root every binary runs as the <c>postgres</c> user, which owns the directory.
/// </summary>
public sealed class LocalPostgres : LocalServer
{
    private readonly string _binaries;

    private LocalPostgres(string binaries)
        : base("userpages-pg-", Path.Combine("data", "postmaster.pid")) => _binaries = binaries;

    private string DataDirectory => Path.Combine(Directory, "data");

    private string LogFile => Path.Combine(Directory, "server.log");

    public override string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = Password,
        Database = "postgres",
        // The app's 5 s default also bounds the wait for a pool slot; 64 racing requests over 20 pooled connections on
        // a loaded 2-core CI machine once waited longer than that, so the test servers allow 30 s.
        Timeout = 30,
    }.ConnectionString;

    /// <summary>The newest installed PostgreSQL's binaries (Debian keeps them out of PATH), or null when none is.</summary>
    public static string? FindBinaries()
    {
        const string debian = "/usr/lib/postgresql";
        var versioned = System.IO.Directory.Exists(debian)
            ? System.IO.Directory.GetDirectories(debian)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return versioned ?? Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    public static async Task<LocalPostgres> StartNewAsync(string binaries)
    {
        var server = new LocalPostgres(binaries);
        return await SetUpAsync(server, async () =>
        {
            await server.InitializeAsync();
            await server.StartAsync();
        });
    }

    private async Task InitializeAsync()
    {
        var passwordFile = Path.Combine(Directory, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", Directory);
        }

        // Password authentication over TCP, so wrong credentials can be tested; fsync off: the data is thrown away.
        await RunAsPostgresAsync(
            "initdb", "-D", DataDirectory, "-U", "postgres", "--pwfile", passwordFile,
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync");
    }

    public override async Task StartAsync()
    {
        var options = string.Join(' ',
            $"-p {Port}",
            $"-k {Directory}",
            "-c listen_addresses=127.0.0.1",
            // Not UTC on purpose: created_at must come out in UTC whatever the server's time zone.
            "-c TimeZone=Asia/Kolkata",
            "-c max_connections=300",
            // fsync off: the data is thrown away, and no test cuts the power. A commit still reaches the OS before it
            // is answered (synchronous_commit), so it survives the server being killed, as the crash tests do.
            "-c fsync=off",
            "-c synchronous_commit=on",
            "-c full_page_writes=off");
        await RunAsPostgresAsync("pg_ctl", "start", "-w", "-D", DataDirectory, "-l", LogFile, "-o", options);
        await WaitUntilReadyAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
            },
            LogFile);
    }

    // A server that never started (initdb failed) or is stopped already has no pid file, and pg_ctl would fail on it.
    public override Task StopAsync() => File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))
        ? RunAsPostgresAsync("pg_ctl", "stop", "-w", "-D", DataDirectory, "-m", "fast")
        : Task.CompletedTask;

    // The postmaster and its children (backends, writer, checkpointer) at once. The new postmaster refuses to start
    // while the old one's pid exists, even as a zombie its adopter has not reaped yet, so wait until all are gone.
    public override async Task CrashAsync()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var children = File.ReadAllText($"/proc/{postmaster}/task/{postmaster}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] pids = [postmaster.ToString(CultureInfo.InvariantCulture), .. children];
        await RunAsync("kill", ["-KILL", .. pids]);
        for (var waited = 0; pids.Any(pid => System.IO.Directory.Exists($"/proc/{pid}")) && waited < 300; waited++)
        {
            await Task.Delay(100);
        }
    }

    // SIGQUIT is PostgreSQL's immediate shutdown, sent directly: pg_ctl takes longer than a test host about to be
    // killed may have.
    protected override void Kill()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        using var signal = Process.Start("kill", ["-QUIT", pid.ToString(CultureInfo.InvariantCulture)]);
        signal.WaitForExit(5_000);
    }

    private async Task RunAsPostgresAsync(string binary, params string[] args)
    {
        var command = Command(binary, args);
        await RunAsync(command.FileName, [.. command.ArgumentList]);
    }

    private ProcessStartInfo Command(string binary, params string[] args)
    {
        var info = new ProcessStartInfo(IsRoot ? "runuser" : Path.Combine(_binaries, binary)) { UseShellExecute = false };
        if (IsRoot)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", Path.Combine(_binaries, binary) })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
