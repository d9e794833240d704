using Dapper;

namespace UserPages.Data;

/// <summary>
/// Search: the plan that lists a page of the users whose username or email contains a term, and the count of its
/// matches. Why each plan, with the measurements: docs/performance.md#how-a-search-is-listed.
/// </summary>
public sealed partial class UserRepository
{
    // '!' rather than '\' as the LIKE escape: MySQL would need the backslash itself escaped in the literal.

    /// <summary>A page of a search (username or email contains the term), newest first, older than the cursor.</summary>
    public const string SearchOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at <= @At AND (created_at < @At OR id < @Id)
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of a search, oldest first, newer than the cursor.</summary>
    public const string SearchNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at >= @At AND (created_at > @At OR id > @Id)
        ORDER BY created_at ASC, id ASC
        LIMIT @Limit
        """;

    /// <summary>The users a search matches, counted up to <c>@Limit</c>.</summary>
    public const string CountMatches = """
        SELECT COUNT(*) FROM (
            SELECT 1
            FROM users
            WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
            LIMIT @Limit) AS matches
        """;

    /// <summary>The users a search matches, counted up to <paramref name="limit"/>.</summary>
    private static Task<long> CountMatchesAsync(UnitOfWork unit, string search, int limit, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            !UsesSearchIndex(unit, search) ? CountMatches
                : IndexFindsExactly(search) ? SqliteDialect.CountCandidates
                : SqliteDialect.CountMatches,
            new { Pattern = ContainsPattern(search), Match = SearchIndexMatch(unit, search), Limit = limit },
            unit.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>A page of a search, with one row more than the page if there is one.</summary>
    private async Task<List<User>> SearchAsync(
        UnitOfWork unit, string search, int pageSize, ListingCursor? cursor, bool newer, DynamicParameters parameters, CancellationToken cancellationToken)
    {
        if (UsesSearchIndex(unit, search) && await InListingOrderAsync(unit, cursor, cancellationToken))
        {
            return await QueryAsync(unit, newer ? SqliteDialect.InOrderNewer : SqliteDialect.InOrderOlder, parameters, cancellationToken);
        }

        var (path, walkLength) = await ChooseSearchPathAsync(unit, search, pageSize, cancellationToken);
        if (path == SearchPath.Candidates)
        {
            return await QueryAsync(unit, newer ? SqliteDialect.CandidatesNewer : SqliteDialect.CandidatesOlder, parameters, cancellationToken);
        }

        if (path == SearchPath.Filter)
        {
            return await QueryAsync(unit, newer ? SearchNewer : SearchOlder, parameters, cancellationToken);
        }

        // The walk stops at a full page, or where it gives up; past that point the candidates list the page instead.
        parameters.Add("Skip", walkLength);
        var floor = await unit.Connection.ExecuteScalarAsync<object?>(new CommandDefinition(
            newer ? SqliteDialect.WalkLimitNewer : SqliteDialect.WalkLimitOlder, parameters, unit.Transaction, cancellationToken: cancellationToken));
        if (floor is null)
        {
            return await QueryAsync(unit, newer ? SearchNewer : SearchOlder, parameters, cancellationToken);
        }

        parameters.Add("Floor", floor);
        var rows = await QueryAsync(unit, newer ? SqliteDialect.WalkNewer : SqliteDialect.WalkOlder, parameters, cancellationToken);
        return rows.Count > pageSize
            ? rows
            : await QueryAsync(unit, newer ? SqliteDialect.CandidatesNewer : SqliteDialect.CandidatesOlder, parameters, cancellationToken);
    }

    /// <summary>
    /// Whether the index can be walked in the listing's order for this page: the users out of id order are few enough
    /// to check each of them, and the cursor (if any) is a user in id order, so that the users older than it in the
    /// listing are exactly those of smaller id. Otherwise (a bulk import among newer users, a cursor to a deleted or
    /// moved user) the plans below list the page. Why: docs/performance.md#search-in-listing-order.
    /// </summary>
    private static async Task<bool> InListingOrderAsync(UnitOfWork unit, ListingCursor? cursor, CancellationToken cancellationToken)
    {
        var from = cursor ?? EndOfTime;
        var check = await unit.Connection.QuerySingleAsync<(long OutOfOrder, long CursorInOrder)>(new CommandDefinition(
            SqliteDialect.ListingOrderCheck,
            new { Limit = OutOfOrderLimit + 1, At = DbTime(from.CreatedAt), from.Id },
            unit.Transaction,
            cancellationToken: cancellationToken));
        return check.OutOfOrder <= OutOfOrderLimit && (cursor is null || check.CursorInOrder == 1);
    }

    // Each user out of id order is read and checked on every search page: ~1 µs each.
    private const int OutOfOrderLimit = 1000;

    // Usernames and emails are ASCII (the signup rules), and for an ASCII term the index's case-insensitive substring
    // match is exactly the LIKE's, so the index's candidates are the matches.
    private static bool IndexFindsExactly(string search) => search.All(char.IsAscii);

    private enum SearchPath
    {
        /// <summary>The LIKE filter over the table: the engine's own index serves it (PostgreSQL) or nothing can (MariaDB).</summary>
        Filter,

        /// <summary>SQLite: read the search index's candidates, check and sort them all.</summary>
        Candidates,

        /// <summary>SQLite: walk the listing index from the cursor, checking each row, until a page is full.</summary>
        Walk,
    }

    /// <summary>
    /// How a search is listed: a rare term from its candidates, a common one by a walk of at most twice the candidate
    /// limit. Why, with the measurements: docs/performance.md#how-a-search-is-listed.
    /// </summary>
    private async Task<(SearchPath Path, int WalkLength)> ChooseSearchPathAsync(
        UnitOfWork unit, string search, int pageSize, CancellationToken cancellationToken)
    {
        if (!UsesSearchIndex(unit, search))
        {
            return (SearchPath.Filter, 0);
        }

        var limit = (int)Math.Sqrt((pageSize + 1.0) * await CountAsync(unit, cancellationToken));
        var candidates = await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            SqliteDialect.CountCandidates,
            new { Match = SqliteDialect.MatchQuery(search), Limit = limit + 1 },
            unit.Transaction,
            cancellationToken: cancellationToken));
        return candidates <= limit ? (SearchPath.Candidates, 0) : (SearchPath.Walk, 2 * limit);
    }

    // PostgreSQL's pg_trgm indexes serve LIKE by themselves and MariaDB has none; SQLite's FTS5 index is asked
    // directly, and only for a term long enough to hold a trigram.
    private static bool UsesSearchIndex(UnitOfWork unit, string search) => unit.Dialect is SqliteDialect && SqlDialect.HasTrigram(search);

    /// <summary>The term as the search index takes it, where one is asked; null elsewhere.</summary>
    private static string? SearchIndexMatch(UnitOfWork unit, string? search) =>
        search is not null && UsesSearchIndex(unit, search) ? SqliteDialect.MatchQuery(search) : null;

    private static string? ContainsPattern(string? search) =>
        search is null
            ? null
            : "%" + search.ToLowerInvariant().Replace("!", "!!", StringComparison.Ordinal)
                .Replace("%", "!%", StringComparison.Ordinal)
                .Replace("_", "!_", StringComparison.Ordinal) + "%";
}
