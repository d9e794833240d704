using UserPages.Data;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Data;

/// <summary>The unit of work and repository against a real database: commit, rollback and uniqueness races.</summary>
public abstract class UnitOfWorkTests<TEngine>(DatabaseFixture<TEngine> database) : IClassFixture<DatabaseFixture<TEngine>>
    where TEngine : ITestEngine
{
    [Fact]
    public async Task Committed_insert_is_visible_to_a_new_unit()
    {
        var name = SignupClient.UniqueName("commit");
        long id;
        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            var result = await database.Db.Users.AddAsync(unit, new NewUser(name, $"{name}@example.com"), default);
            Assert.True(result.Added);
            id = result.Id;
            await unit.CommitAsync(default);
        }

        await using var read = await database.Db.Database.BeginReadAsync(default);
        var user = await database.Db.Users.GetByIdAsync(read, id, default);
        Assert.Equal(name, user?.Username);
        Assert.Equal(DateTimeKind.Utc, user!.CreatedAt.Kind);
    }

    [Fact]
    public async Task Disposing_without_commit_rolls_everything_back()
    {
        var name = SignupClient.UniqueName("rollback");
        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            Assert.True((await database.Db.Users.AddAsync(unit, new NewUser(name, $"{name}@example.com"), default)).Added);
        }

        Assert.Null(await database.Db.FindUserAsync(name));
    }

    [Fact]
    public async Task Exception_inside_a_unit_leaves_nothing_written()
    {
        var name = SignupClient.UniqueName("thrown");

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var unit = await database.Db.Database.BeginWriteAsync(default);
            await database.Db.Users.AddAsync(unit, new NewUser(name, $"{name}@example.com"), default);
            throw new InvalidOperationException("something failed after the insert");
        });

        Assert.Null(await database.Db.FindUserAsync(name));
    }

    [Fact]
    public async Task Duplicate_inside_a_unit_reports_the_field_and_an_uncommitted_unit_rolls_back_earlier_inserts()
    {
        var existing = SignupClient.UniqueName("Taken");
        await InsertCommittedAsync(existing);
        var first = SignupClient.UniqueName("first");

        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            Assert.True((await database.Db.Users.AddAsync(unit, new NewUser(first, $"{first}@example.com"), default)).Added);

            var clash = await database.Db.Users.AddAsync(unit, new NewUser(existing.ToLowerInvariant(), $"new-{existing}@example.com"), default);
            Assert.Equal(UserField.Username, clash.Conflict);
        }

        Assert.Null(await database.Db.FindUserAsync(first));
    }

    [Fact]
    public async Task Rolling_back_to_a_savepoint_before_a_duplicate_lets_the_unit_commit_what_came_before_on_every_engine()
    {
        var existing = SignupClient.UniqueName("Taken");
        await InsertCommittedAsync(existing);
        var first = SignupClient.UniqueName("first");
        var after = SignupClient.UniqueName("after");

        await using (var unit = await database.Db.Database.BeginWriteAsync(default))
        {
            Assert.True((await database.Db.Users.AddAsync(unit, new NewUser(first, $"{first}@example.com"), default)).Added);
            await unit.SavepointAsync("clash", default);
            var clash = await database.Db.Users.AddAsync(unit, new NewUser(existing.ToUpperInvariant(), $"new-{existing}@example.com"), default);
            Assert.Equal(UserField.Username, clash.Conflict);
            await unit.RollbackToSavepointAsync("clash", default);
            await unit.ReleaseSavepointAsync("clash", default);
            Assert.True((await database.Db.Users.AddAsync(unit, new NewUser(after, $"{after}@example.com"), default)).Added);
            await unit.CommitAsync(default);
        }

        Assert.NotNull(await database.Db.FindUserAsync(first));
        Assert.NotNull(await database.Db.FindUserAsync(after));
        Assert.Equal(0, await database.Db.CountUsersAsync($"new-{existing}"));
    }

    [Fact]
    public async Task Duplicate_email_is_reported_as_the_email_field()
    {
        var existing = SignupClient.UniqueName("mail");
        await InsertCommittedAsync(existing);

        await using var unit = await database.Db.Database.BeginWriteAsync(default);
        var result = await database.Db.Users.AddAsync(unit, new NewUser(existing + "2", $"{existing}@example.com"), default);

        Assert.Equal(UserField.Email, result.Conflict);
    }

    [Fact]
    public async Task Two_concurrent_signups_of_one_username_leave_exactly_one_row()
    {
        var name = SignupClient.UniqueName("race");
        var start = new TaskCompletionSource();

        async Task<AddUserResult> SignUp(string username, string email)
        {
            await start.Task;
            await using var unit = await database.Db.Database.BeginWriteAsync(default);
            var result = await database.Db.Users.AddAsync(unit, new NewUser(username, email), default);
            if (result.Added)
            {
                await unit.CommitAsync(default);
            }

            return result;
        }

        var racers = new[]
        {
            Task.Run(() => SignUp(name, $"{name}-a@example.com")),
            Task.Run(() => SignUp(name.ToUpperInvariant(), $"{name}-b@example.com")),
        };
        start.SetResult();
        var results = await Task.WhenAll(racers);

        Assert.Single(results, r => r.Added);
        Assert.Single(results, r => r.Conflict == UserField.Username);
        Assert.Equal(1, await database.Db.CountUsersAsync(name));
    }

    private async Task InsertCommittedAsync(string name)
    {
        await using var unit = await database.Db.Database.BeginWriteAsync(default);
        Assert.True((await database.Db.Users.AddAsync(unit, new NewUser(name, $"{name}@example.com"), default)).Added);
        await unit.CommitAsync(default);
    }
}

public sealed class UnitOfWorkTestsOnSqlite(DatabaseFixture<SqliteEngine> database) : UnitOfWorkTests<SqliteEngine>(database);

public sealed class UnitOfWorkTestsOnPostgres(DatabaseFixture<PostgresEngine> database) : UnitOfWorkTests<PostgresEngine>(database);

public sealed class UnitOfWorkTestsOnMySql(DatabaseFixture<MySqlEngine> database) : UnitOfWorkTests<MySqlEngine>(database);
