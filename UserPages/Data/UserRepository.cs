using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace UserPages.Data;

/// <summary>
/// The <c>users</c> table: parameterized SQL through Dapper, always inside the caller's unit of work. The listing is
/// in signup order, which the id records: newest first is highest id first. Search is <see cref="UserSearch"/>.
/// </summary>
public sealed partial class UserRepository(Database database)
{
    public const string InsertUser = """
        INSERT INTO users (username, email) VALUES (@Username, @Email) RETURNING id
        """;

    // No RETURNING; LAST_INSERT_ID() is per connection, so it is exact even under concurrency.
    public const string InsertUserMySql = """
        INSERT INTO users (username, email) VALUES (@Username, @Email);
        SELECT LAST_INSERT_ID();
        """;

    public const string GetUserById = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE id = @Id
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

    private const int SqliteConstraint = 19;
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    private readonly string _insertUser = database.Provider == DatabaseProvider.MySql ? InsertUserMySql : InsertUser;

    /// <summary>
    /// Inserts the user, or answers which field is taken. A taken field leaves the unit able only to roll back on
    /// PostgreSQL, so callers that go on (the signup writer) take a savepoint first.
    /// </summary>
    public async Task<AddUserResult> AddAsync(UnitOfWork unit, NewUser user, CancellationToken cancellationToken)
    {
        try
        {
            var id = await unit.Connection.ExecuteScalarAsync<long>(
                new CommandDefinition(_insertUser, user, unit.Transaction, cancellationToken: cancellationToken));
            return AddUserResult.Created(id);
        }
        catch (DbException exception) when (TakenField(exception) is { } field)
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
            // A "timestamp without time zone" holding UTC on PostgreSQL: Npgsql sends only an Unspecified DateTime to it.
            parameters.Add($"c{i}", DateTime.SpecifyKind(users[i].CreatedAt, DateTimeKind.Unspecified));
        }

        await unit.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (username, email, created_at) VALUES " + string.Join(", ", rows),
            parameters,
            unit.Transaction,
            cancellationToken: cancellationToken));
    }

    public Task<User?> GetByIdAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(GetUserById, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<long> CountAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(CountUsers, transaction: unit.Transaction, cancellationToken: cancellationToken));

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

    /// <summary>The field a unique violation is about, from the constraint's name (never from the value, which is user input).</summary>
    private static UserField? TakenField(DbException exception)
    {
        var constraint = exception switch
        {
            // "UNIQUE constraint failed: users.email" or "... index 'ux_users_username_ci'".
            SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey } => exception.Message,
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres => postgres.ConstraintName,
            // "Duplicate entry 'value' for key 'name'".
            MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } => DuplicateKey().Match(exception.Message).Groups["key"].Value,
            _ => null,
        };
        return constraint switch
        {
            null => null,
            _ when constraint.Contains("username", StringComparison.OrdinalIgnoreCase) => UserField.Username,
            _ when constraint.Contains("email", StringComparison.OrdinalIgnoreCase) => UserField.Email,
            _ => null,
        };
    }

    [GeneratedRegex("for key '(?<key>[^']*)'$")]
    private static partial Regex DuplicateKey();
}
