using System.Data.Common;
using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>pending_signups</c> table: signups waiting for their address to be confirmed. A pending signup holds its
/// username and email against every other signup until it expires, and is never listed.
/// </summary>
public sealed class PendingSignupRepository(Database database)
{
    public const string InsertPending = """
        INSERT INTO pending_signups (username, email, token_hash, created_at, expires_at)
        VALUES (@Username, @Email, @TokenHash, @CreatedAt, @ExpiresAt)
        """;

    public const string GetByTokenHash = """
        SELECT id AS Id, username AS Username, email AS Email, token_hash AS TokenHash, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM pending_signups
        WHERE token_hash = @TokenHash
        """;

    public const string GetByEmail = """
        SELECT id AS Id, username AS Username, email AS Email, token_hash AS TokenHash, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM pending_signups
        WHERE email = @Email
        """;

    /// <summary>The pending signup holding the username in any letter case, as the unique index compares them.</summary>
    public const string GetByUsername = """
        SELECT id AS Id, username AS Username, email AS Email, token_hash AS TokenHash, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM pending_signups
        WHERE lower(username) = lower(@Username)
        """;

    public const string GetByUsernameMySql = """
        SELECT id AS Id, username AS Username, email AS Email, token_hash AS TokenHash, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM pending_signups
        WHERE username = @Username
        """;

    // A new link for a pending signup, when its address signs up again: the earlier link stops working.
    public const string ReplaceToken = """
        UPDATE pending_signups SET token_hash = @TokenHash WHERE id = @Id
        """;

    public const string DeletePending = """
        DELETE FROM pending_signups WHERE id = @Id
        """;

    public const string DeleteExpired = """
        DELETE FROM pending_signups WHERE expires_at <= @Now
        """;

    /// <summary>Whether a listed or a pending entry has the email.</summary>
    public const string CountEmail = """
        SELECT (SELECT COUNT(*) FROM users WHERE email = @Email) + (SELECT COUNT(*) FROM pending_signups WHERE email = @Email)
        """;

    /// <summary>Whether a listed or a pending entry has the username, in any letter case (the unique indexes' expression).</summary>
    public const string CountUsername = """
        SELECT (SELECT COUNT(*) FROM users WHERE lower(username) = lower(@Username))
             + (SELECT COUNT(*) FROM pending_signups WHERE lower(username) = lower(@Username))
        """;

    // The username columns compare case-insensitively by their collation, and lower() would keep the index unused.
    public const string CountUsernameMySql = """
        SELECT (SELECT COUNT(*) FROM users WHERE username = @Username)
             + (SELECT COUNT(*) FROM pending_signups WHERE username = @Username)
        """;

    private readonly string _countUsername = database.Provider == DatabaseProvider.MySql ? CountUsernameMySql : CountUsername;
    private readonly string _getByUsername = database.Provider == DatabaseProvider.MySql ? GetByUsernameMySql : GetByUsername;

    /// <summary>
    /// Inserts the pending signup, or answers which field another pending signup holds. A taken field leaves the unit
    /// able only to roll back on PostgreSQL: callers that go on take a savepoint first.
    /// </summary>
    public async Task<UserField?> AddAsync(UnitOfWork unit, PendingSignup signup, CancellationToken cancellationToken)
    {
        try
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(InsertPending, Timed(signup), unit.Transaction, cancellationToken: cancellationToken));
            return null;
        }
        catch (DbException exception) when (DatabaseErrors.TakenField(exception) is { } field)
        {
            return field;
        }
    }

    public async Task<bool> IsEmailKnownAsync(UnitOfWork unit, string email, CancellationToken cancellationToken) =>
        await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(CountEmail, new { Email = email }, unit.Transaction, cancellationToken: cancellationToken)) > 0;

    public async Task<bool> IsUsernameKnownAsync(UnitOfWork unit, string username, CancellationToken cancellationToken) =>
        await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(_countUsername, new { Username = username }, unit.Transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>The pending signup whose confirmation token has this hash, expired or not.</summary>
    public Task<PendingSignup?> GetByTokenHashAsync(UnitOfWork unit, string tokenHash, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<PendingSignup>(new CommandDefinition(GetByTokenHash, new { TokenHash = tokenHash }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<PendingSignup?> GetByEmailAsync(UnitOfWork unit, string email, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<PendingSignup>(new CommandDefinition(GetByEmail, new { Email = email }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<PendingSignup?> GetByUsernameAsync(UnitOfWork unit, string username, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<PendingSignup>(new CommandDefinition(_getByUsername, new { Username = username }, unit.Transaction, cancellationToken: cancellationToken));

    public Task ReplaceTokenAsync(UnitOfWork unit, long id, OneTimeToken token, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(ReplaceToken, new { Id = id, TokenHash = token.Hash }, unit.Transaction, cancellationToken: cancellationToken));

    /// <summary>Removes the pending signup; false when another request removed it first.</summary>
    public async Task<bool> DeleteAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        await unit.Connection.ExecuteAsync(new CommandDefinition(DeletePending, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>Removes every pending signup expired by <paramref name="now"/>, freeing their usernames and emails; how many.</summary>
    public Task<int> DeleteExpiredAsync(UnitOfWork unit, DateTime now, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(DeleteExpired, new { Now = DatabaseTime.From(now) }, unit.Transaction, cancellationToken: cancellationToken));

    private static object Timed(PendingSignup signup) => new
    {
        signup.Username,
        signup.Email,
        signup.TokenHash,
        CreatedAt = DatabaseTime.From(signup.CreatedAt),
        ExpiresAt = DatabaseTime.From(signup.ExpiresAt),
    };
}

/// <summary>A row of <c>pending_signups</c>: a signup whose address is not confirmed yet.</summary>
public sealed class PendingSignup
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    public string Email { get; init; } = "";

    public string TokenHash { get; init; } = "";

    public DateTime CreatedAt
    {
        get;
        init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public DateTime ExpiresAt
    {
        get;
        init => field = DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }
}
