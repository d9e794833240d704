using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A throwaway database server started from the installed binaries: its own temporary directory and a free loopback
/// port, stopped and deleted when disposed or, at the latest, when the test process exits.
/// </summary>
public abstract class LocalServer : IAsyncDisposable
{
    protected const string Password = "userpages-test";

    private int _disposed;

    protected LocalServer(string prefix, string pidFile)
    {
        RemoveLeftovers(prefix, pidFile);
        Directory = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        Port = FreePort();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The temporary directory holding the data files, the socket and the log.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>A connection string for the server's administrative database, as a user who may create databases.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) and waits until it accepts connections.</summary>
    public abstract Task StartAsync();

    public abstract Task StopAsync();

    /// <summary>
    /// SIGKILL to every process of the server, as in a crash: no shutdown, no checkpoint. <see cref="StartAsync"/>
    /// brings it back on the same data directory and port, recovering from its log.
    /// </summary>
    public abstract Task CrashAsync();

    /// <summary>Stops the server at once, synchronously: used when the run ends, where only quick work is sure to finish.</summary>
    protected abstract void Kill();

    protected static bool IsRoot => Environment.UserName == "root";

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAsync();
            DeleteDirectory();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs a new server's set-up; when it fails, removes the half-made server and rethrows the set-up's own failure,
    /// which says why (a clean-up that trips over the half-made server once replaced it and the cause was lost).
    /// </summary>
    protected static async Task<T> SetUpAsync<T>(T server, Func<Task> setUp)
        where T : LocalServer
    {
        try
        {
            await setUp();
            return server;
        }
        catch (Exception failure)
        {
            try
            {
                await server.DisposeAsync();
            }
            catch (Exception cleanup)
            {
                throw new AggregateException($"The server in {server.Directory} did not start, and removing it failed too.", failure, cleanup);
            }

            throw;
        }
    }

    /// <summary>Runs a command to completion and fails with its output when it fails.</summary>
    protected static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    /// <summary>Polls until <paramref name="probe"/> connects; fails with the server's log if it never does.</summary>
    protected async Task WaitUntilReadyAsync(Func<Task> probe, string logFile, Func<bool>? exited = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await probe();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && exited?.Invoke() != true)
            {
                await Task.Delay(100);
            }
            catch (Exception exception)
            {
                var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "(no log)";
                throw new InvalidOperationException($"The server in {Directory} did not start: {exception.Message}\n{log}", exception);
            }
        }
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Deletes the directories of earlier runs' servers that are no longer running: a test host killed before its
    /// clean-up leaves them behind. Directories of servers still running (another test run's) are left alone.
    /// </summary>
    private static void RemoveLeftovers(string prefix, string pidFile)
    {
        foreach (var directory in System.IO.Directory.GetDirectories(Path.GetTempPath(), prefix + "*"))
        {
            // No pid file: stopped, or still being set up by a run that started moments ago; age tells them apart.
            var pidPath = Path.Combine(directory, pidFile);
            var stale = File.Exists(pidPath)
                ? int.TryParse(File.ReadLines(pidPath).FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid)
                : System.IO.Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10);
            if (stale)
            {
                try
                {
                    System.IO.Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Being deleted by someone else right now.
                }
            }
        }

        static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => StopNow();

    /// <summary>Stops the server at once and has its directory deleted, unless that was done already.</summary>
    private void StopNow()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Kill();

            // Left to a detached process (forked twice, so not in the test host's process tree) that outlives the test
            // host, which may be killed right after the run, and gives the server's last processes a moment to exit.
            using var remove = Process.Start("sh", ["-c", "(sleep 2; rm -rf -- \"$0\") >/dev/null 2>&1 &", Directory]);
            remove.WaitForExit(5_000);
        }
    }

    private void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying server process; the temporary directory is cleaned up by the system later.
        }
    }
}
