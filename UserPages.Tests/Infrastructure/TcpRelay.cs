using System.Net;
using System.Net.Sockets;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A TCP relay on a free loopback port in front of a database server. <see cref="Cut"/> is a network fault that only
/// the app instances connecting through the relay see: every open connection is reset and every new one is reset as
/// soon as it arrives, until <see cref="Restore"/>. The server itself and everyone else reaching it directly carry on.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopped = new();
    private readonly Lock _gate = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private bool _cut;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Resets every relayed connection and, until <see cref="Restore"/>, every new one.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _cut = true;
            foreach (var socket in _open)
            {
                Reset(socket);
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            _cut = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopped.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopped.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopped.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopped.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_gate)
        {
            if (_cut)
            {
                Reset(client);
                server.Dispose();
                return;
            }

            _open.Add(client);
            _open.Add(server);
        }

        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopped.Token);
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var serverStream = new NetworkStream(server, ownsSocket: false);

            // Either direction ending (or failing) ends the pair, as a broken network path would.
            await Task.WhenAny(clientStream.CopyToAsync(serverStream, _stopped.Token), serverStream.CopyToAsync(clientStream, _stopped.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut, or the server went away: the other side is reset below.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            Reset(client);
            Reset(server);
        }
    }

    // Linger 0: close with RST, as a failing network path does, rather than an orderly FIN the client might wait on.
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }
}
