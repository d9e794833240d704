using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace UserPages.Tests.Infrastructure;

/// <summary>One OTLP/HTTP export request as it arrived: the path says the signal, the body is the protobuf message.</summary>
public sealed record OtlpExport(string Path, string? ContentType, byte[] Body)
{
    /// <summary>Whether the message holds the text: names (metrics, spans, services) are plain UTF-8 strings in protobuf.</summary>
    public bool Mentions(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}

/// <summary>
/// A minimal OTLP/HTTP collector on a free loopback port: accepts <c>POST /v1/metrics</c>, <c>/v1/traces</c> and
/// <c>/v1/logs</c> as a real collector does (200, an empty protobuf response) and keeps every request it got.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpExport> _exports = new();

    private OtlpReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            _exports.Enqueue(new OtlpExport(context.Request.Path, context.Request.ContentType, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
    }

    /// <summary>What to give as OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public string Endpoint => _app.Urls.Single();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>
    /// Waits up to a minute until the exports to <paramref name="path"/>, taken together, mention every one of
    /// <paramref name="texts"/> (a batch of spans or metrics may hold some and the next batch the rest), and returns them.
    /// </summary>
    public async Task<List<OtlpExport>> WaitForAsync(string path, string[] texts, Func<string> context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var exports = _exports.Where(export => export.Path == path).ToList();
            if (texts.All(text => exports.Any(export => export.Mentions(text))))
            {
                return exports;
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                var missing = texts.Where(text => !exports.Any(export => export.Mentions(text)));
                throw new Xunit.Sdk.XunitException(
                    $"Within a minute, {exports.Count} export(s) to {path} never mentioned {string.Join(", ", missing)}.\n{context()}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
