using System.Collections.Concurrent;
using System.Net;

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// A stream of signups, each with a name of its own, from several clients at once until stopped, with every one
/// accounted for: what was sent, and what was answered or that no answer came (the connection failed).
/// </summary>
public sealed class SignupLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers;
    private int _unanswered;

    private SignupLoad(Func<HttpClient> newClient, int workers, string prefix, bool stopWhenUnanswered)
    {
        // One client after another: WebApplicationFactory starts its server with the first, and not safely for
        // several threads at once (it starts one server each).
        var clients = Enumerable.Range(0, workers).Select(_ => newClient()).ToList();
        _workers = [.. clients.Select((client, worker) => Task.Run(() => PostAsync(client, $"{prefix}-{worker}", stopWhenUnanswered)))];
    }

    /// <summary>Every signup sent: username → email.</summary>
    public ConcurrentDictionary<string, string> Sent { get; } = new();

    /// <summary>Every answer, in the order they came.</summary>
    public ConcurrentQueue<(string Username, HttpStatusCode Status)> Answers { get; } = new();

    /// <summary>Signups whose connection failed before an answer came.</summary>
    public int Unanswered => Volatile.Read(ref _unanswered);

    /// <summary>The usernames answered with a redirect: signed up.</summary>
    public List<string> Redirected => [.. Answers.Where(a => a.Status == HttpStatusCode.Redirect).Select(a => a.Username)];

    /// <summary>
    /// Starts the workers; with <paramref name="stopWhenUnanswered"/> a worker stops at its first failed connection
    /// (the app is gone), otherwise it goes on until <see cref="StopAsync"/>.
    /// </summary>
    public static SignupLoad Start(Func<HttpClient> newClient, int workers, string prefix, bool stopWhenUnanswered = false) =>
        new(newClient, workers, prefix, stopWhenUnanswered);

    /// <summary>Waits (a minute at most) until the condition holds; fails with what was answered when it never does.</summary>
    public async Task UntilAsync(Func<SignupLoad, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition(this))
        {
            if (_workers.FirstOrDefault(worker => worker.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Waited a minute for {what}. {Summary()}");
            await Task.Delay(10);
        }
    }

    /// <summary>Stops the workers and waits for them; a worker that failed (rather than met a dead connection) fails this.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    /// <summary>How many of each answer, for failure messages and the figures.</summary>
    public string Summary() => $"{ResponseAssert.Statuses(Answers.Select(a => a.Status))}, {Unanswered} without an answer";

    private async Task PostAsync(HttpClient client, string prefix, bool stopWhenUnanswered)
    {
        using var owned = client;
        var form = await client.GetSignupFormAsync();
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var name = $"{prefix}-{i}";
            Sent[name] = $"{name}@example.com";
            try
            {
                var status = (await client.PostSignupAsync(form, name, Sent[name])).StatusCode;
                Answers.Enqueue((name, status));
                if (status == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(20); // as a client honouring Retry-After would, only sooner
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _unanswered);
                if (stopWhenUnanswered)
                {
                    return;
                }
            }
        }
    }
}
