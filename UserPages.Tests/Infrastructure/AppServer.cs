using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// The built app serving HTTP as a real child process (Kestrel on a free loopback port, Production environment),
/// for faults TestServer cannot show: SIGKILL, a database that disappears under a running process. Everything it
/// logs is kept in <see cref="Output"/>.
/// </summary>
public sealed partial class AppServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppServer(IReadOnlyDictionary<string, string> settings)
    {
        _process = new Process { StartInfo = AppProcess.StartInfo(settings, "Production", "--urls", "http://127.0.0.1:0") };

        // Run from the build output like an operator from the publish folder: the shipped appsettings.json (and its
        // log levels) apply.
        _process.StartInfo.WorkingDirectory = AppContext.BaseDirectory;

        // Through a shell that ignores SIGXFSZ and then becomes the app (same pid): a file size limit set on it later
        // (a full disk) makes writes fail with EFBIG instead of killing the process.
        _process.StartInfo.ArgumentList.Insert(0, "trap '' XFSZ; exec \"$0\" \"$@\"");
        _process.StartInfo.ArgumentList.Insert(0, "-c");
        _process.StartInfo.ArgumentList.Insert(2, _process.StartInfo.FileName);
        _process.StartInfo.FileName = "/bin/sh";
        _process.OutputDataReceived += (_, line) => Collect(line.Data);
        _process.ErrorDataReceived += (_, line) => Collect(line.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) =>
        {
            // Said in the output too, so a test that fails on a vanished app shows how it ended (128 + n: signal n).
            _output.Enqueue($"[the app exited with code {_process.ExitCode}]");
            _listening.TrySetException(new InvalidOperationException("The app exited before listening:\n" + Output));
        };
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    /// <summary>Everything the process has printed so far (console logs, one entry per line).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>How many times <paramref name="text"/> stands in <see cref="Output"/> so far.</summary>
    public int OutputCount(string text)
    {
        var output = Output;
        return (output.Length - output.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;
    }

    /// <summary>
    /// Waits until <paramref name="text"/> stands <paramref name="count"/> times in the output, then checks it stands
    /// exactly that often: the console logger writes from a background queue, so a line may come a moment late.
    /// </summary>
    public async Task WaitForOutputAsync(string text, int count)
    {
        for (var waited = 0; OutputCount(text) < count && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(count, OutputCount(text));
    }

    /// <summary>
    /// The app over these settings on top of <see cref="TestAppSettings.Common"/>: the load tests post from one address,
    /// and a signup is listed at once.
    /// </summary>
    public static Task<AppServer> StartAsync(IReadOnlyDictionary<string, string> settings) => StartAsShippedAsync(TestAppSettings.With(settings));

    /// <summary>The app over these settings and nothing else: every other setting as shipped.</summary>
    public static async Task<AppServer> StartAsShippedAsync(IReadOnlyDictionary<string, string> settings)
    {
        var server = new AppServer(settings);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        server.BaseAddress = await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>A client with its own cookies that sees redirects as they are.</summary>
    public HttpClient CreateClient() => CreateClient(IPAddress.Loopback);

    /// <summary>
    /// A client connecting from <paramref name="address"/>, any of 127.0.0.0/8 (all of it is the loopback
    /// interface): the app sees a client of that address, as per-address limits do.
    /// </summary>
    public HttpClient CreateClient(IPAddress address) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>
    /// Caps the size of every file the app writes (RLIMIT_FSIZE): 0 refuses every write, as a full disk does; null
    /// lifts the cap. The process keeps running throughout.
    /// </summary>
    public async Task LimitFileSizeAsync(long? bytes)
    {
        var limit = bytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited";
        using var prlimit = Process.Start("prlimit", ["--pid", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"--fsize={limit}:"])!;
        await prlimit.WaitForExitAsync();
        Assert.Equal(0, prlimit.ExitCode);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what the kernel and SQLite made durable is all that is left.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    // Plain or JSON console logs alike: the address ends at a space or at the JSON string's closing quote.
    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningOn();
}
