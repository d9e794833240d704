using System.Data.Common;
using Dapper;

namespace UserPages.Data;

/// <summary>What the listing asks for: an optional search, at most one cursor, and a page size.</summary>
public sealed record ListingQuery(string? Search, ListingCursor? Before, ListingCursor? After, int PageSize);

/// <summary>One page of the listing, newest first, with the cursors of the neighbouring pages if there are any.</summary>
public sealed record ListingPage(IReadOnlyList<User> Users, ListingCursor? Older, ListingCursor? Newer);

/// <summary>The <c>users</c> table: parameterized SQL through Dapper, always inside the caller's unit of work.</summary>
public sealed class UserRepository
{
    private const string UserColumns = "id AS Id, username AS Username, email AS Email, created_at AS CreatedAt";
    private const string SelectUser = $"SELECT {UserColumns} FROM users";

    // '!' rather than '\' as the LIKE escape: MySQL would need the backslash itself escaped in the literal.
    private const string SearchFilter = "(lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')";

    // "created_at <= @At" gives every engine a plain range to seek in the index; the rest breaks ties by id.
    private const string OlderThanCursor = "created_at <= @At AND (created_at < @At OR id < @Id)";
    private const string NewerThanCursor = "created_at >= @At AND (created_at > @At OR id > @Id)";
    private const string NewestFirst = "ORDER BY created_at DESC, id DESC";
    private const string OldestFirst = "ORDER BY created_at ASC, id ASC";

    // How a search with a search index is listed. Through the index's candidates, the cost grows with their number
    // (read each row, check it, sort them all); walking the listing index from the cursor, it grows with the rows
    // walked before a page is full, about (page size × table size / candidates). So a term with fewer candidates than
    // the square root of (page size × table size) is listed from them, and a commoner one by the walk, which gives up
    // after twice that many rows (matches bunched in older rows) and falls back to the candidates.
    // Measured at 1M users: "hopper" (33k matches) took ~100 ms through the candidates, ~7 ms walking.
    private static int CandidateLimit(int pageSize, long tableSize) => (int)Math.Sqrt((pageSize + 1.0) * tableSize);

    public async Task<AddUserResult> AddAsync(UnitOfWork unit, NewUser user, CancellationToken cancellationToken)
    {
        try
        {
            var id = await unit.Connection.ExecuteScalarAsync<long>(
                new CommandDefinition(unit.Dialect.InsertUserSql, user, unit.Transaction, cancellationToken: cancellationToken));
            return AddUserResult.Created(id);
        }
        catch (DbException exception) when (TakenField(unit.Dialect, exception) is { } field)
        {
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

        // The statement is built from parameter names only ("(@u0, @e0, @c0), ..."); the values travel as parameters.
        var parameters = new DynamicParameters();
        var rows = new string[users.Count];
        for (var i = 0; i < users.Count; i++)
        {
            rows[i] = $"(@u{i}, @e{i}, @c{i})";
            parameters.Add($"u{i}", users[i].Username);
            parameters.Add($"e{i}", users[i].Email.ToLowerInvariant());
            parameters.Add($"c{i}", unit.Dialect.ToDbTime(users[i].CreatedAt));
        }

        await unit.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO users (username, email, created_at) VALUES " + string.Join(", ", rows),
            parameters,
            unit.Transaction,
            cancellationToken: cancellationToken));
    }

    public Task<long> MaxIdAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM users", transaction: unit.Transaction, cancellationToken: cancellationToken));

    public Task<User?> GetByIdAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(
            new CommandDefinition($"{SelectUser} WHERE id = @id", new { id }, unit.Transaction, cancellationToken: cancellationToken));

    /// <summary>Finds a user by name regardless of case, as the unique index compares them.</summary>
    public Task<User?> FindByUsernameAsync(UnitOfWork unit, string username, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"{SelectUser} WHERE lower(username) = @username",
            new { username = username.ToLowerInvariant() },
            unit.Transaction,
            cancellationToken: cancellationToken));

    public Task<User?> FindByEmailAsync(UnitOfWork unit, string email, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"{SelectUser} WHERE email = @email",
            new { email = email.ToLowerInvariant() },
            unit.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>Every user, read from the count the database keeps beside the table (migration CountUsersInARow).</summary>
    public Task<long> CountAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT total FROM user_count", transaction: unit.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The users a search matches, counted up to <paramref name="limit"/> + 1: enough to say "more than limit" without
    /// visiting every match of a common term.
    /// </summary>
    public Task<long> CountMatchesAsync(UnitOfWork unit, string search, int limit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM {SearchSource(unit.Dialect, search)} WHERE {SearchFilter} LIMIT @Limit) AS matches",
            new { Pattern = ContainsPattern(search), SearchIndexQuery = unit.Dialect.SearchIndexQuery(search), Limit = limit + 1 },
            unit.Transaction,
            cancellationToken: cancellationToken));

    public async Task<ListingPage> ListAsync(UnitOfWork unit, ListingQuery query, CancellationToken cancellationToken)
    {
        var goingNewer = query.After is not null;
        var cursor = query.After ?? query.Before;
        var order = goingNewer ? OldestFirst : NewestFirst;
        string[] cursorFilter = cursor is null ? [] : [goingNewer ? NewerThanCursor : OlderThanCursor];
        var parameters = new
        {
            Pattern = ContainsPattern(query.Search),
            SearchIndexQuery = query.Search is null ? null : unit.Dialect.SearchIndexQuery(query.Search),
            At = cursor is { } c ? unit.Dialect.ToDbTime(c.CreatedAt) : null,
            Id = cursor?.Id,
            Limit = query.PageSize + 1,
        };

        // Assembled from the constants above and computed numbers; every value from the request travels as a parameter.
        // One row more than the page tells whether another page lies beyond it.
        List<User> rows;
        if (query.Search is null)
        {
            rows = await QueryAsync(unit, $"{SelectUser}{Where(cursorFilter)} {order} LIMIT @Limit", parameters, cancellationToken);
        }
        else if (unit.Dialect.SearchCandidatesSql(query.Search) is null)
        {
            rows = await QueryAsync(unit, $"{SelectUser}{Where([SearchFilter, .. cursorFilter])} {order} LIMIT @Limit", parameters, cancellationToken);
        }
        else if (CandidateLimit(query.PageSize, await CountAsync(unit, cancellationToken)) is var limit
            && await CountCandidatesAsync(unit, query.Search, limit, cancellationToken) <= limit)
        {
            rows = await QueryAsync(unit, CandidatesPageSql(unit.Dialect, query.Search, cursorFilter, order), parameters, cancellationToken);
        }
        else
        {
            // Where the walk gives up, found through the listing index alone; the walk itself stops at a full page.
            var floor = await unit.Connection.ExecuteScalarAsync<object?>(new CommandDefinition(
                $"SELECT created_at FROM users{Where(cursorFilter)} {order} LIMIT 1 OFFSET {2 * limit}", parameters, unit.Transaction, cancellationToken: cancellationToken));
            var walk = new DynamicParameters(parameters);
            walk.Add("Floor", floor);
            string[] floorFilter = floor is null ? [] : [goingNewer ? "created_at <= @Floor" : "created_at >= @Floor"];
            rows = await QueryAsync(unit, $"{SelectUser}{Where([SearchFilter, .. cursorFilter, .. floorFilter])} {order} LIMIT @Limit", walk, cancellationToken);
            if (rows.Count <= query.PageSize && floor is not null)
            {
                rows = await QueryAsync(unit, CandidatesPageSql(unit.Dialect, query.Search, cursorFilter, order), parameters, cancellationToken);
            }
        }

        var more = rows.Count > query.PageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (goingNewer)
        {
            rows.Reverse();
        }

        if (rows.Count == 0)
        {
            return new ListingPage(rows, null, null);
        }

        // Coming from a newer page means one exists, and the same for older; the extra row answers the other side.
        return goingNewer
            ? new ListingPage(rows, ListingCursor.For(rows[^1]), more ? ListingCursor.For(rows[0]) : null)
            : new ListingPage(rows, more ? ListingCursor.For(rows[^1]) : null, cursor is null ? null : ListingCursor.For(rows[0]));
    }

    private static string CandidatesPageSql(SqlDialect dialect, string search, string[] cursorFilter, string order) =>
        $"SELECT {UserColumns} FROM {SearchSource(dialect, search)}{Where([SearchFilter, .. cursorFilter])} {order} LIMIT @Limit";

    /// <summary>The search index's candidates for a term, counted up to <paramref name="limit"/> + 1 (index only, no rows read).</summary>
    private static Task<long> CountCandidatesAsync(UnitOfWork unit, string search, int limit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM ({unit.Dialect.SearchCandidatesSql(search)} LIMIT @Limit) AS candidates",
            new { SearchIndexQuery = unit.Dialect.SearchIndexQuery(search), Limit = limit + 1 },
            unit.Transaction,
            cancellationToken: cancellationToken));

    private static async Task<List<User>> QueryAsync(UnitOfWork unit, string sql, object parameters, CancellationToken cancellationToken) =>
        (await unit.Connection.QueryAsync<User>(new CommandDefinition(sql, parameters, unit.Transaction, cancellationToken: cancellationToken))).AsList();

    private static string Where(string[] filters) => filters.Length == 0 ? "" : " WHERE " + string.Join(" AND ", filters);

    /// <summary>The rows a search looks at: the engine's search-index candidates where it has them, else the table.</summary>
    private static string SearchSource(SqlDialect dialect, string search) =>
        dialect.SearchCandidatesSql(search) is { } candidates ? $"({candidates}) AS candidates JOIN users ON id = candidate_id" : "users";

    private static string? ContainsPattern(string? search) =>
        search is null
            ? null
            : "%" + search.ToLowerInvariant().Replace("!", "!!", StringComparison.Ordinal)
                .Replace("%", "!%", StringComparison.Ordinal)
                .Replace("_", "!_", StringComparison.Ordinal) + "%";

    private static UserField? TakenField(SqlDialect dialect, DbException exception)
    {
        if (!dialect.IsUniqueViolation(exception, out var constraint))
        {
            return null;
        }

        if (constraint.Contains("username", StringComparison.OrdinalIgnoreCase))
        {
            return UserField.Username;
        }

        return constraint.Contains("email", StringComparison.OrdinalIgnoreCase) ? UserField.Email : null;
    }
}
