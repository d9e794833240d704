using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace UserPages.Tests.Infrastructure;

/// <summary>How <see cref="SmtpTestServer"/> answers a message's DATA.</summary>
public enum SmtpAnswer
{
    Accept,

    /// <summary>451: try again later.</summary>
    Defer,

    /// <summary>550: never.</summary>
    Refuse,
}

/// <summary>
/// A real SMTP server on a loopback port in the test process (the SmtpServer package), which MailKit in the app speaks
/// real SMTP to. It keeps what it accepted, answers as <see cref="Answer"/> says, can be slowed, held, stopped (an
/// outage: the port refuses connections) and started again on the same port.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;
    private TaskCompletionSource _held = NewGate(open: true);
    private int _holding;

    private SmtpTestServer(int port) => Port = port;

    public int Port { get; }

    public SmtpAnswer Answer { get; set; } = SmtpAnswer.Accept;

    /// <summary>How long each message takes to be accepted (a slow server).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Messages accepted so far, in the order they were accepted.</summary>
    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>Messages whose DATA is being held by <see cref="Hold"/> right now.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>Settings pointing the app at this server, plain SMTP on loopback.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        ["Mail:From"] = "UserPages <noreply@userpages.test>",
    };

    public static async Task<SmtpTestServer> StartAsync()
    {
        var server = new SmtpTestServer(LocalServer.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Holds every message's DATA unanswered until <see cref="Release"/>.</summary>
    public void Hold() => _held = NewGate(open: false);

    public void Release() => _held.TrySetResult();

    /// <summary>Messages with this subject accepted so far.</summary>
    public IReadOnlyList<MimeMessage> ReceivedWithSubject(string subject) => [.. Received.Where(m => m.Subject == subject)];

    /// <summary>Waits until the condition holds of what was received, within <paramref name="seconds"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> UntilAsync(Func<IReadOnlyList<MimeMessage>, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var received = Received;
            if (condition(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"The SMTP server did not receive {what} within {seconds} s; it has {received.Count} message(s).");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Closes the port: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        try
        {
            await _running!;
        }
        catch (OperationCanceledException)
        {
            // How a cancelled server ends.
        }

        _stop.Dispose();
        _server = null;
    }

    public async Task StartAgainAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add(new WithoutPipelining());
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);

        // Listening once a connection is accepted.
        for (var waited = 0; !await AcceptsAsync(); waited++)
        {
            if (waited > 100 || _running.IsCompleted)
            {
                await _running;
                throw new InvalidOperationException($"The SMTP test server did not listen on port {Port}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await StopAsync();
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref server._holding);
            try
            {
                await server._held.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref server._holding);
            }

            if (server.Delay > TimeSpan.Zero)
            {
                await Task.Delay(server.Delay, cancellationToken);
            }

            switch (server.Answer)
            {
                case SmtpAnswer.Defer:
                    return new SmtpResponse(SmtpReplyCode.Aborted, "try again later");
                case SmtpAnswer.Refuse:
                    return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such mailbox");
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            server._received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>
/// EHLO without PIPELINING. The SmtpServer package answers pipelined commands one write each, and the second answer
/// then waits out the client's delayed ACK (Nagle): 40 ms a message on loopback, which a real MTA does not cost.
/// </summary>
internal sealed class WithoutPipelining : SmtpCommandFactory
{
    public override SmtpCommand CreateEhlo(string domainOrAddress) => new Ehlo(domainOrAddress);

    private sealed class Ehlo(string domainOrAddress) : EhloCommand(domainOrAddress)
    {
        protected override IEnumerable<string> GetExtensions(ISessionContext context) =>
            base.GetExtensions(context).Where(extension => extension != "PIPELINING");
    }
}
