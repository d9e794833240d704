using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>entry_tokens</c> table: the manage and email-change links of listed entries, each stored as a hash, used up
/// by <see cref="TakeAsync"/>, and deleted with its entry.
/// </summary>
public sealed class EntryTokenRepository
{
    public const string InsertToken = """
        INSERT INTO entry_tokens (user_id, purpose, token_hash, new_email, created_at, expires_at)
        VALUES (@UserId, @Purpose, @TokenHash, @NewEmail, @CreatedAt, @ExpiresAt)
        """;

    public const string GetByTokenHash = """
        SELECT id AS Id, user_id AS UserId, purpose AS Purpose, token_hash AS TokenHash, new_email AS NewEmail, expires_at AS ExpiresAt
        FROM entry_tokens
        WHERE token_hash = @TokenHash AND purpose = @Purpose
        """;

    public const string ListEntryTokens = """
        SELECT id AS Id, user_id AS UserId, purpose AS Purpose, token_hash AS TokenHash, new_email AS NewEmail, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM entry_tokens
        WHERE user_id = @UserId
        ORDER BY id
        """;

    public const string DeleteToken = """
        DELETE FROM entry_tokens WHERE id = @Id
        """;

    public const string DeleteEntryTokens = """
        DELETE FROM entry_tokens WHERE user_id = @UserId
        """;

    public const string DeleteExpired = """
        DELETE FROM entry_tokens WHERE expires_at <= @Now
        """;

    public Task AddAsync(UnitOfWork unit, long userId, TokenPurpose purpose, OneTimeToken token, string? newEmail, DateTime now, DateTime expiresAt, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(
            InsertToken,
            new { UserId = userId, Purpose = (int)purpose, TokenHash = token.Hash, NewEmail = newEmail, CreatedAt = DatabaseTime.From(now), ExpiresAt = DatabaseTime.From(expiresAt) },
            unit.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>
    /// Uses up a token <see cref="FindAsync"/> found: its row is deleted. Two requests racing for one token: the
    /// database lets one delete it, and the other gets false.
    /// </summary>
    public async Task<bool> TakeAsync(UnitOfWork unit, EntryToken token, CancellationToken cancellationToken) =>
        await unit.Connection.ExecuteAsync(new CommandDefinition(DeleteToken, new { token.Id }, unit.Transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>
    /// The token's row for this purpose, expired or not, without using it up: the link's GET, which must tell an
    /// expired link from an unknown one and may show what the link will do.
    /// </summary>
    public async Task<EntryToken?> FindAsync(UnitOfWork unit, TokenPurpose purpose, string tokenHash, CancellationToken cancellationToken)
    {
        var token = await unit.Connection.QuerySingleOrDefaultAsync<EntryToken>(new CommandDefinition(
            GetByTokenHash, new { TokenHash = tokenHash, Purpose = (int)purpose }, unit.Transaction, cancellationToken: cancellationToken));
        return token is not null && OneTimeToken.SameHash(token.TokenHash, tokenHash) ? token : null;
    }

    /// <summary>Every link the entry has, used or not yet swept, oldest first: what a download of their data lists.</summary>
    public async Task<IReadOnlyList<EntryToken>> ListForEntryAsync(UnitOfWork unit, long userId, CancellationToken cancellationToken) =>
        (await unit.Connection.QueryAsync<EntryToken>(new CommandDefinition(
            ListEntryTokens, new { UserId = userId }, unit.Transaction, cancellationToken: cancellationToken))).AsList();

    public Task<int> DeleteForEntryAsync(UnitOfWork unit, long userId, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(DeleteEntryTokens, new { UserId = userId }, unit.Transaction, cancellationToken: cancellationToken));

    public Task<int> DeleteExpiredAsync(UnitOfWork unit, DateTime now, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(DeleteExpired, new { Now = DatabaseTime.From(now) }, unit.Transaction, cancellationToken: cancellationToken));
}

/// <summary>A row of <c>entry_tokens</c>.</summary>
public sealed class EntryToken
{
    public long Id { get; init; }

    public long UserId { get; init; }

    public TokenPurpose Purpose { get; init; }

    public string TokenHash { get; init; } = "";

    /// <summary>The address an email change moves the entry to; null for other purposes.</summary>
    public string? NewEmail { get; init; }

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
