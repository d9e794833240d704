using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using UserPages.Data;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// The signup writer's group commit under a backlog: every queued signup is committed and answered exactly once, in
/// groups that fill up to the group size and never past it.
/// </summary>
public sealed class SignupWriterTests(AppFixture<SqliteEngine> app) : IClassFixture<AppFixture<SqliteEngine>>
{
    private const int GroupSize = 256;
    private const int Backlog = 600;

    [Fact]
    public async Task A_backlog_larger_than_a_group_is_committed_in_full_groups_and_every_signup_answered_once()
    {
        using var groupSizes = new MetricCollector<int>(
            app.Factory.Services.GetRequiredService<IMeterFactory>(), "UserPages", "userpages.signups.group_commit.size");
        var writer = app.Factory.Services.GetRequiredService<SignupWriter>();
        var before = await app.Db.CountUsersAsync("backlog-");

        // The test holds SQLite's write lock, so the writer's first group waits and the rest of the backlog queues.
        Task<SignupResult>[] signups;
        await using (var blocker = await app.Db.Database.BeginWriteAsync(TestContext.Current.CancellationToken))
        {
            signups = [.. Enumerable.Range(0, Backlog).Select(i => writer.AddAsync(new SignupRequest(new NewUser($"backlog-{i}", $"backlog-{i}@example.com"), "127.0.0.1"), TestContext.Current.CancellationToken))];
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }

        // A signup the writer dropped would never be answered: fail within a minute rather than hang.
        var results = await Task.WhenAll(signups).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.All(results, result => Assert.Equal(SignupOutcome.Listed, result.Outcome));
        Assert.Equal(Backlog, results.Select(result => result.UserId).Distinct().Count());
        Assert.Equal(before + Backlog, await app.Db.CountUsersAsync("backlog-"));
        var sizes = groupSizes.GetMeasurementSnapshot().Select(m => m.Value).ToList();
        Assert.Equal(Backlog, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, GroupSize));
        Assert.Contains(GroupSize, sizes);
    }
}
