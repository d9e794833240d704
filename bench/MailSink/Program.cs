using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

// MailSink PORT COUNT_FILE: accepts every message on 127.0.0.1:PORT and keeps COUNT_FILE at the number accepted so
// far (rewritten at most every 50 ms and once more at the end), until SIGTERM or SIGINT.
if (args is not [var portText, var countFile] || !int.TryParse(portText, out var port))
{
    await Console.Error.WriteLineAsync("usage: MailSink PORT COUNT_FILE");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var store = new CountingStore();
var options = new SmtpServerOptionsBuilder()
    .ServerName("localhost")
    .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
    .Build();
var services = new ServiceProvider();
services.Add(store);
services.Add(new WithoutPipelining());
var server = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);

var written = -1L;
while (!stop.IsCancellationRequested)
{
    Write();
    try
    {
        await Task.Delay(50, stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}

try
{
    await server;
}
catch (OperationCanceledException)
{
    // How a stopped server ends.
}

Write();
return 0;

void Write()
{
    var count = store.Count;
    if (count != written)
    {
        File.WriteAllText(countFile + ".tmp", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(countFile + ".tmp", countFile, overwrite: true);
        written = count;
    }
}

internal sealed class CountingStore : MessageStore
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Task.FromResult(SmtpResponse.Ok);
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
