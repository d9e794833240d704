using Dapper;
using UserPages.Data;

namespace UserPages.Tests.Infrastructure;

/// <summary>The queries tests arrange and check a test database's users with, each in a unit of work of its own.</summary>
public static class TestDatabaseQueries
{
    private const string SelectUserByName =
        "SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt FROM users WHERE lower(username) = lower(@name)";

    private const string CountUsers = "SELECT COUNT(*) FROM users";

    private const string CountUsersContaining = "SELECT COUNT(*) FROM users WHERE lower(username) LIKE @pattern OR email LIKE @pattern";

    private const string SelectUsernamesAndEmails = "SELECT username, email FROM users";

    private const string SelectUsers = "SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt FROM users";

    // One statement per 200 rows keeps each well inside every engine's limit on parameters.
    private const int ImportBatch = 200;

    extension(TestDatabase db)
    {
        /// <summary>Inserts users with their own join dates, committed.</summary>
        public async Task ImportUsersAsync(IEnumerable<ImportedUser> users)
        {
            await using var unit = await db.Database.BeginWriteAsync(TestContext.Current.CancellationToken);
            foreach (var batch in users.Chunk(ImportBatch))
            {
                await db.Users.ImportAsync(unit, batch, TestContext.Current.CancellationToken);
            }

            await unit.CommitAsync(TestContext.Current.CancellationToken);
        }

        /// <summary>The user with this name in any letter case, as the unique index compares names; null when there is none.</summary>
        public async Task<User?> FindUserAsync(string username)
        {
            await using var unit = await db.Database.BeginReadAsync(TestContext.Current.CancellationToken);
            return await unit.Connection.QuerySingleOrDefaultAsync<User>(SelectUserByName, new { name = username }, unit.Transaction);
        }

        /// <summary>
        /// The rows in the users table, counted there and then; with <paramref name="containing"/>, only those whose
        /// username (in any case) or email contains it.
        /// </summary>
        public async Task<long> CountUsersAsync(string? containing = null)
        {
            await using var unit = await db.Database.BeginReadAsync(TestContext.Current.CancellationToken);
            return containing is null
                ? await unit.Connection.ExecuteScalarAsync<long>(CountUsers, transaction: unit.Transaction)
                : await unit.Connection.ExecuteScalarAsync<long>(
                    CountUsersContaining, new { pattern = $"%{containing.ToLowerInvariant()}%" }, unit.Transaction);
        }

        /// <summary>Every stored user: username → email.</summary>
        public async Task<Dictionary<string, string>> ReadEmailsByUsernameAsync() =>
            (await db.QueryAsync<(string Username, string Email)>(SelectUsernamesAndEmails)).ToDictionary(row => row.Username, row => row.Email);

        /// <summary>Every stored user, in no particular order.</summary>
        public Task<List<User>> ReadUsersAsync() => db.QueryAsync<User>(SelectUsers);

        /// <summary>Rows of a query of the test's own, read in a unit of work.</summary>
        public async Task<List<T>> QueryAsync<T>(string sql)
        {
            await using var unit = await db.Database.BeginReadAsync(TestContext.Current.CancellationToken);
            return [.. await unit.Connection.QueryAsync<T>(sql, transaction: unit.Transaction)];
        }

        /// <summary>The single value of a query of the test's own, read in a unit of work.</summary>
        public async Task<T?> ScalarAsync<T>(string sql)
        {
            await using var unit = await db.Database.BeginReadAsync(TestContext.Current.CancellationToken);
            return await unit.Connection.ExecuteScalarAsync<T>(sql, transaction: unit.Transaction);
        }
    }
}
