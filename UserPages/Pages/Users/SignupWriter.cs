using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using UserPages.Data;
using UserPages.Telemetry;

namespace UserPages.Pages.Users;

/// <summary>
/// Group commit for signups. A durable commit waits for the disk (fsync), and on SQLite only one writer commits at a
/// time, so one transaction per signup caps signups at the disk's commit rate. Instead, one writer takes every signup
/// waiting in the queue, inserts each under its own savepoint (a taken name undoes only that insert) and commits them
/// together; each caller gets its own exact result, and only after the commit that made it durable. It runs as a
/// background service for as long as the web app runs.
/// </summary>
public sealed class SignupWriter(Database database, SignupRegistration registration, UserPagesMetrics metrics) : BackgroundService
{
    // Enough to absorb a burst; a larger group only makes its first caller wait longer.
    private const int MaxGroupSize = 256;

    private const string BeforeThisSignup = "signup";

    private readonly Channel<QueuedSignup> _queue = Channel.CreateUnbounded<QueuedSignup>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Registers the signup durably (see <see cref="SignupRegistration"/>), or answers why not.</summary>
    public async Task<SignupResult> AddAsync(SignupRequest request, CancellationToken cancellationToken)
    {
        var pending = new QueuedSignup(request);
        await _queue.Writer.WriteAsync(pending, cancellationToken);

        // Once queued, the signup is committed or not regardless of this request; the caller may stop waiting.
        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Commits queued signups, group by group, until <paramref name="stoppingToken"/> fires.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<QueuedSignup>(MaxGroupSize);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (group.Count < MaxGroupSize && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            await CommitGroupAsync(group, stoppingToken);
            group.Clear();
        }
    }

    private async Task CommitGroupAsync(List<QueuedSignup> group, CancellationToken cancellationToken)
    {
        var results = new SignupResult[group.Count];
        var started = Stopwatch.GetTimestamp();
        var refused = new DbException?[group.Count];
        try
        {
            await using var unit = await database.BeginWriteAsync(cancellationToken);
            for (var i = 0; i < group.Count; i++)
            {
                await unit.SavepointAsync(BeforeThisSignup, cancellationToken);
                try
                {
                    results[i] = await registration.RegisterAsync(unit, group[i].Request, cancellationToken);
                }
                catch (DbException exception) when (DatabaseErrors.Classify(exception) == DatabaseErrorKind.RefusedValue)
                {
                    // A value the database refused is that signup's own 400, not a failure of everyone in its group.
                    refused[i] = exception;
                }

                // A taken name or a refused value undoes only this signup (and leaves PostgreSQL's transaction usable).
                if (refused[i] is not null || results[i].Undo)
                {
                    await unit.RollbackToSavepointAsync(BeforeThisSignup, cancellationToken);
                }

                await unit.ReleaseSavepointAsync(BeforeThisSignup, cancellationToken);
            }

            await unit.CommitAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            // Nothing of the group was committed: every caller sees the failure (the error page answers 503).
            foreach (var pending in group)
            {
                pending.Result.TrySetException(exception);
            }

            return;
        }

        metrics.GroupCommitted(group.Count, Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < group.Count; i++)
        {
            if (refused[i] is { } exception)
            {
                group[i].Result.TrySetException(exception);
            }
            else
            {
                group[i].Result.TrySetResult(results[i]);
            }
        }
    }

    private sealed record QueuedSignup(SignupRequest Request)
    {
        public TaskCompletionSource<SignupResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
