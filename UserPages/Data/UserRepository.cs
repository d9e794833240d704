using System.Data.Common;
using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>users</c> table: parameterized SQL through Dapper, always inside the caller's unit of work. The listing is
/// in signup order, which the id records: newest first is highest id first. Search is <see cref="UserSearch"/>.
/// </summary>
public sealed class UserRepository(Database database)
{
    public const string InsertUser = """
        INSERT INTO users (username, email, confirmed_at) VALUES (@Username, @Email, @ConfirmedAt) RETURNING id
        """;

    // No RETURNING; LAST_INSERT_ID() is per connection, so it is exact even under concurrency.
    public const string InsertUserMySql = """
        INSERT INTO users (username, email, confirmed_at) VALUES (@Username, @Email, @ConfirmedAt);
        SELECT LAST_INSERT_ID();
        """;

    public const string GetUserById = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, row_version AS RowVersion
        FROM users
        WHERE id = @Id
        """;

    public const string GetUserByEmail = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, row_version AS RowVersion
        FROM users
        WHERE email = @Email
        """;

    /// <summary>The entry with the username in any letter case, as the unique index compares them.</summary>
    public const string GetUserByUsername = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, row_version AS RowVersion
        FROM users
        WHERE lower(username) = lower(@Username)
        """;

    // The username column compares case-insensitively by its collation, and lower() would keep the index unused.
    public const string GetUserByUsernameMySql = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt, confirmed_at AS ConfirmedAt, row_version AS RowVersion
        FROM users
        WHERE username = @Username
        """;

    // Every edit names the version the person saw: zero rows changed means someone changed or deleted the row since.
    public const string Rename = """
        UPDATE users SET username = @Username, row_version = row_version + 1
        WHERE id = @Id AND row_version = @RowVersion
        """;

    // The new address was proven by the link that brought the request here; no version: nothing the person saw is overwritten.
    public const string ChangeEmail = """
        UPDATE users SET email = @Email, confirmed_at = @Now, row_version = row_version + 1
        WHERE id = @Id
        """;

    public const string DeleteUser = """
        DELETE FROM users WHERE id = @Id AND row_version = @RowVersion
        """;

    /// <summary>Every user, read from the count the database keeps beside the table (migration CountUsersInARow).</summary>
    public const string CountUsers = """
        SELECT total FROM user_count WHERE id = 1
        """;

    /// <summary>
    /// Raised by the database in the same transaction as every insert, update or delete of a user (migration
    /// VersionTheUsers): two reads that see the same version see the same users, whichever process wrote them.
    /// </summary>
    public const string ReadVersion = """
        SELECT version FROM user_count WHERE id = 1
        """;

    /// <summary>A page of the listing, newest first, older than the cursor (the newest page is older than every id).</summary>
    public const string ListOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE id < @Id
        ORDER BY id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of the listing, oldest first, newer than the cursor.</summary>
    public const string ListNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE id > @Id
        ORDER BY id
        LIMIT @Limit
        """;

    private readonly string _insertUser = database.Provider == DatabaseProvider.MySql ? InsertUserMySql : InsertUser;
    private readonly string _getUserByUsername = database.Provider == DatabaseProvider.MySql ? GetUserByUsernameMySql : GetUserByUsername;

    /// <summary>
    /// Inserts the user, or answers which field is taken. A taken field leaves the unit able only to roll back on
    /// PostgreSQL, so callers that go on (the signup writer) take a savepoint first.
    /// </summary>
    public async Task<AddUserResult> AddAsync(UnitOfWork unit, NewUser user, CancellationToken cancellationToken)
    {
        try
        {
            var id = await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                _insertUser,
                new { user.Username, user.Email, ConfirmedAt = user.ConfirmedAt is { } at ? DatabaseTime.From(at) : (DateTime?)null },
                unit.Transaction,
                cancellationToken: cancellationToken));
            return AddUserResult.Created(id);
        }
        catch (DbException exception) when (DatabaseErrors.TakenField(exception) is { } field)
        {
            return AddUserResult.Taken(field);
        }
    }

    /// <summary>Inserts many users with their own join dates in one multi-row statement, in the order given.</summary>
    public async Task ImportAsync(UnitOfWork unit, IReadOnlyList<ImportedUser> users, CancellationToken cancellationToken)
    {
        if (users.Count == 0)
        {
            return;
        }

        // Generated, as the one exception to written-out SQL: the number of rows varies, and one statement of many
        // rows is what makes seeding a million users take seconds. It is built from parameter names only
        // ("(@u0, @e0, @c0), ..."); the values travel as parameters.
        var parameters = new DynamicParameters();
        var rows = new string[users.Count];
        for (var i = 0; i < users.Count; i++)
        {
            rows[i] = $"(@u{i}, @e{i}, @c{i})";
            parameters.Add($"u{i}", users[i].Username);
            parameters.Add($"e{i}", users[i].Email.ToLowerInvariant());
            parameters.Add($"c{i}", DatabaseTime.From(users[i].CreatedAt));
        }

        await unit.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (username, email, created_at) VALUES " + string.Join(", ", rows),
            parameters,
            unit.Transaction,
            cancellationToken: cancellationToken));
    }

    public Task<User?> GetByIdAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(GetUserById, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<User?> GetByEmailAsync(UnitOfWork unit, string email, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(GetUserByEmail, new { Email = email }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<User?> GetByUsernameAsync(UnitOfWork unit, string username, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(_getUserByUsername, new { Username = username }, unit.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Gives the entry a new username, if it is still at <paramref name="rowVersion"/>. A taken name leaves the unit
    /// able only to roll back on PostgreSQL.
    /// </summary>
    public async Task<EntryChange> RenameAsync(UnitOfWork unit, long id, int rowVersion, string username, CancellationToken cancellationToken)
    {
        try
        {
            var changed = await unit.Connection.ExecuteAsync(new CommandDefinition(
                Rename, new { Id = id, RowVersion = rowVersion, Username = username }, unit.Transaction, cancellationToken: cancellationToken));
            return changed == 1 ? EntryChange.Saved : await MissedAsync(unit, id, cancellationToken);
        }
        catch (DbException exception) when (DatabaseErrors.TakenField(exception) is UserField.Username)
        {
            return EntryChange.Taken;
        }
    }

    /// <summary>Moves the entry to its new, proven address.</summary>
    public async Task<EntryChange> ChangeEmailAsync(UnitOfWork unit, long id, string email, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            var changed = await unit.Connection.ExecuteAsync(new CommandDefinition(
                ChangeEmail, new { Id = id, Email = email, Now = DatabaseTime.From(now) }, unit.Transaction, cancellationToken: cancellationToken));
            return changed == 1 ? EntryChange.Saved : EntryChange.Gone;
        }
        catch (DbException exception) when (DatabaseErrors.TakenField(exception) is UserField.Email)
        {
            return EntryChange.Taken;
        }
    }

    /// <summary>Deletes the entry, if it is still at <paramref name="rowVersion"/>; its links go with it (the foreign key).</summary>
    public async Task<EntryChange> DeleteAsync(UnitOfWork unit, long id, int rowVersion, CancellationToken cancellationToken)
    {
        var deleted = await unit.Connection.ExecuteAsync(new CommandDefinition(
            DeleteUser, new { Id = id, RowVersion = rowVersion }, unit.Transaction, cancellationToken: cancellationToken));
        return deleted == 1 ? EntryChange.Saved : await MissedAsync(unit, id, cancellationToken);
    }

    public Task<long> CountAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(CountUsers, transaction: unit.Transaction, cancellationToken: cancellationToken));

    private async Task<EntryChange> MissedAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        await GetByIdAsync(unit, id, cancellationToken) is null ? EntryChange.Gone : EntryChange.Conflict;

    public async Task<UsersVersion> VersionAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        new(await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(ReadVersion, transaction: unit.Transaction, cancellationToken: cancellationToken)));

    /// <summary>A page of the listing: the newest, or the one older than <paramref name="olderThan"/> or newer than <paramref name="newerThan"/>.</summary>
    public async Task<ListingPage> ListAsync(UnitOfWork unit, ListingCursor? olderThan, ListingCursor? newerThan, int pageSize, CancellationToken cancellationToken)
    {
        var newer = newerThan is not null;
        var rows = (await unit.Connection.QueryAsync<User>(new CommandDefinition(
            newer ? ListNewer : ListOlder,
            new { Id = (newerThan ?? olderThan)?.Id ?? long.MaxValue, Limit = pageSize + 1 },
            unit.Transaction,
            cancellationToken: cancellationToken))).AsList();
        return ListingPage.FromRows(rows, pageSize, newerThan ?? olderThan, newer);
    }
}
