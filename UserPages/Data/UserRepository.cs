using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace UserPages.Data;

/// <summary>What the listing asks for: an optional search, at most one cursor, and a page size.</summary>
public sealed record ListingQuery(string? Search, ListingCursor? Before, ListingCursor? After, int PageSize);

/// <summary>
/// One page of the listing, newest first, with the cursors of the neighbouring pages if there are any, and for a
/// search the users it matches, counted up to one more than a page (null for the plain listing).
/// </summary>
public sealed record ListingPage(IReadOnlyList<User> Users, ListingCursor? Older, ListingCursor? Newer, long? Matches = null);

/// <summary>
/// The <c>users</c> table: parameterized SQL through Dapper, always inside the caller's unit of work. Statements the
/// engines write alike are here; those they write differently are in <see cref="SqlDialect"/>.
/// How a search's page is found is in UserRepository.Search.cs.
/// </summary>
public sealed partial class UserRepository
{
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
    public const string UsersVersion = """
        SELECT version FROM user_count WHERE id = 1
        """;

    public const string MaxUserId = """
        SELECT COALESCE(MAX(id), 0) FROM users
        """;

    /// <summary>
    /// The listing's first page, the hottest request: a scan from the end of the listing index, with no cursor to
    /// compare each row to (about 8% more pages a second than <see cref="ListOlder"/> from the end of time).
    /// </summary>
    public const string ListNewest = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of the listing, newest first, older than the cursor.</summary>
    public const string ListOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE created_at <= @At AND (created_at < @At OR id < @Id)
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of the listing, oldest first, newer than the cursor.</summary>
    public const string ListNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE created_at >= @At AND (created_at > @At OR id > @Id)
        ORDER BY created_at ASC, id ASC
        LIMIT @Limit
        """;

    // A search's first page is "older than the end of time", so it runs the same statement as every later page.
    private static readonly ListingCursor EndOfTime = new(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc), long.MaxValue);

    public async Task<AddUserResult> AddAsync(UnitOfWork unit, NewUser user, CancellationToken cancellationToken)
    {
        try
        {
            var id = await unit.Connection.ExecuteScalarAsync<long>(
                new CommandDefinition(unit.Dialect.InsertUser, user, unit.Transaction, cancellationToken: cancellationToken));
            return AddUserResult.Created(id);
        }
        catch (DbException exception) when (TakenField(exception) is { } field)
        {
            // PostgreSQL aborts the transaction here; every engine behaves the same until the caller rolls back.
            unit.MarkRollbackOnly();
            return AddUserResult.Taken(field);
        }
    }

    /// <summary>Inserts many users with their own join dates in one multi-row statement.</summary>
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
            parameters.Add($"c{i}", DbTime(users[i].CreatedAt));
        }

        await unit.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (username, email, created_at) VALUES " + string.Join(", ", rows),
            parameters,
            unit.Transaction,
            cancellationToken: cancellationToken));
    }

    public Task<long> MaxIdAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(MaxUserId, transaction: unit.Transaction, cancellationToken: cancellationToken));

    public Task<User?> GetByIdAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(GetUserById, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<long> CountAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(CountUsers, transaction: unit.Transaction, cancellationToken: cancellationToken));

    public Task<long> VersionAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(UsersVersion, transaction: unit.Transaction, cancellationToken: cancellationToken));

    public async Task<ListingPage> ListAsync(UnitOfWork unit, ListingQuery query, CancellationToken cancellationToken)
    {
        var newer = query.After is not null;
        var cursor = query.After ?? query.Before;
        var from = cursor ?? EndOfTime;
        var parameters = new DynamicParameters(new
        {
            At = DbTime(from.CreatedAt),
            from.Id,
            Limit = query.PageSize + 1, // one row more than the page tells whether another page lies beyond it
            Pattern = ContainsPattern(query.Search),
            Match = SearchIndexMatch(unit, query.Search),
        });

        var rows = query.Search is null
            ? await QueryAsync(unit, cursor is null ? ListNewest : newer ? ListNewer : ListOlder, parameters, cancellationToken)
            : await SearchAsync(unit, query.Search, query.PageSize, cursor, newer, parameters, cancellationToken);

        var more = rows.Count > query.PageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (newer)
        {
            rows.Reverse();
        }

        // Coming from a newer page means one exists, and the same for older; the extra row answers the other side.
        var page = rows.Count == 0 ? new ListingPage(rows, null, null)
            : newer ? new ListingPage(rows, ListingCursor.For(rows[^1]), more ? ListingCursor.For(rows[0]) : null)
            : new ListingPage(rows, more ? ListingCursor.For(rows[^1]) : null, cursor is null ? null : ListingCursor.For(rows[0]));
        if (query.Search is null)
        {
            return page;
        }

        // Counted only as far as one more than a page: this page's extra row proves that many, and a first page without
        // one holds them all, so only a later, last page asks. Counting further was most of a common term's search at
        // 1M users (docs/performance.md#the-count-stops-at-a-page).
        return page with
        {
            Matches = more ? query.PageSize + 1
                : cursor is null ? rows.Count
                : await CountMatchesAsync(unit, query.Search, query.PageSize + 1, cancellationToken),
        };
    }

    private static async Task<List<User>> QueryAsync(UnitOfWork unit, string sql, DynamicParameters parameters, CancellationToken cancellationToken) =>
        (await unit.Connection.QueryAsync<User>(new CommandDefinition(sql, parameters, unit.Transaction, cancellationToken: cancellationToken))).AsList();

    // created_at is a "timestamp without time zone" holding UTC on PostgreSQL, and Npgsql only sends an Unspecified
    // DateTime to it; SQLite and MySqlConnector send the same text either way.
    private static DateTime DbTime(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

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

    private const int SqliteConstraint = 19;
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    [GeneratedRegex("for key '(?<key>[^']*)'$")]
    private static partial Regex DuplicateKey();
}
