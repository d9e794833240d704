namespace UserPages.Data;

/// <summary>
/// The statements whose text differs between engines; <see cref="UserRepository"/> writes every other one once for
/// all three. Each is written out in full, as a reader would paste it into the engine's SQL prompt.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The length of the pieces the search indexes are made of (FTS5 trigram, pg_trgm), in characters.</summary>
    public const int TrigramLength = 3;

    /// <summary>The INSERT for a new user, answering the new id as a single scalar.</summary>
    public abstract string InsertUser { get; }

    /// <summary>
    /// Whether a term is long enough to contain a trigram, counting characters as the indexes do (code points: an
    /// emoji is one); a shorter term could only be found by reading every row.
    /// </summary>
    public static bool HasTrigram(string term) => term.EnumerateRunes().Skip(TrigramLength - 1).Any();

    internal static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDialect(),
        DatabaseProvider.Postgres => new PostgresDialect(),
        DatabaseProvider.MySql => new MySqlDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
    };
}

/// <summary>PostgreSQL: its pg_trgm indexes serve the repository's LIKE search by themselves.</summary>
public sealed class PostgresDialect : SqlDialect
{
    public override string InsertUser => """
        INSERT INTO users (username, email) VALUES (@Username, @Email) RETURNING id
        """;
}

/// <summary>MariaDB and MySQL: no index serves LIKE '%term%', so the repository's search scans.</summary>
public sealed class MySqlDialect : SqlDialect
{
    // No RETURNING; LAST_INSERT_ID() is per connection, so it is exact even under concurrency.
    public override string InsertUser => """
        INSERT INTO users (username, email) VALUES (@Username, @Email);
        SELECT LAST_INSERT_ID();
        """;
}

/// <summary>
/// SQLite: the FTS5 trigram table <c>users_search</c> (migrations IndexUserSearch, SearchInListingOrder), keyed by
/// <c>-id</c>, finds a search's candidates, which the same LIKE as on the other engines then checks. SQLite's planner
/// cannot use it for LIKE, so the repository asks it.
/// </summary>
public sealed class SqliteDialect : SqlDialect
{
    public override string InsertUser => """
        INSERT INTO users (username, email) VALUES (@Username, @Email) RETURNING id
        """;

    /// <summary>The search index's candidates for <c>@Match</c>, counted up to <c>@Limit</c> (index only, no rows read).</summary>
    public const string CountCandidates = """
        SELECT COUNT(*) FROM (SELECT rowid FROM users_search WHERE users_search MATCH @Match LIMIT @Limit)
        """;

    /// <summary>
    /// How many users are listed out of id order (counted up to <c>@Limit</c>), and whether the cursor's row is a user
    /// in id order: for those, the listing's order is the order of ids, which the search index is walked in.
    /// </summary>
    public const string ListingOrderCheck = """
        SELECT
            (SELECT COUNT(*) FROM (SELECT 1 FROM users_out_of_order LIMIT @Limit)) AS OutOfOrder,
            EXISTS (
                SELECT 1 FROM users
                WHERE id = @Id AND created_at = @At AND id NOT IN (SELECT id FROM users_out_of_order)) AS CursorInOrder
        """;

    /// <summary>
    /// A page of a search, newest first, older than a cursor in id order: the first matches of the search index's walk
    /// from the cursor's id down (newest first: the index is keyed by <c>-id</c>), merged with the matches among the
    /// users out of id order.
    /// </summary>
    public const string InOrderOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (
            SELECT * FROM (
                SELECT users.id, users.username, users.email, users.created_at
                FROM users_search JOIN users ON users.id = -users_search.rowid
                WHERE users_search MATCH @Match AND users_search.rowid > -@Id
                  AND users.id NOT IN (SELECT id FROM users_out_of_order)
                  AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
                ORDER BY users_search.rowid
                LIMIT @Limit)
            UNION ALL
            SELECT users.id, users.username, users.email, users.created_at
            FROM users_out_of_order CROSS JOIN users ON users.id = users_out_of_order.id
            WHERE (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
              AND users.created_at <= @At AND (users.created_at < @At OR users.id < @Id))
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of a search, oldest first, newer than a cursor in id order: <see cref="InOrderOlder"/> the other way.</summary>
    public const string InOrderNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (
            SELECT * FROM (
                SELECT users.id, users.username, users.email, users.created_at
                FROM users_search JOIN users ON users.id = -users_search.rowid
                WHERE users_search MATCH @Match AND users_search.rowid < -@Id
                  AND users.id NOT IN (SELECT id FROM users_out_of_order)
                  AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
                ORDER BY users_search.rowid DESC
                LIMIT @Limit)
            UNION ALL
            SELECT users.id, users.username, users.email, users.created_at
            FROM users_out_of_order CROSS JOIN users ON users.id = users_out_of_order.id
            WHERE (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
              AND users.created_at >= @At AND (users.created_at > @At OR users.id > @Id))
        ORDER BY created_at ASC, id ASC
        LIMIT @Limit
        """;

    /// <summary>The users a search matches, counted up to <c>@Limit</c>, through the search index.</summary>
    public const string CountMatches = """
        SELECT COUNT(*) FROM (
            SELECT 1
            FROM (SELECT -rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
            JOIN users ON id = candidate_id
            WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
            LIMIT @Limit)
        """;

    /// <summary>A page of a search from the search index's candidates, newest first, older than the cursor.</summary>
    public const string CandidatesOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (SELECT -rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
        JOIN users ON id = candidate_id
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at <= @At AND (created_at < @At OR id < @Id)
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of a search from the search index's candidates, oldest first, newer than the cursor.</summary>
    public const string CandidatesNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (SELECT -rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
        JOIN users ON id = candidate_id
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at >= @At AND (created_at > @At OR id > @Id)
        ORDER BY created_at ASC, id ASC
        LIMIT @Limit
        """;

    /// <summary>Where a walk older than the cursor gives up: the join time <c>@Skip</c> rows along the listing index.</summary>
    public const string WalkLimitOlder = """
        SELECT created_at FROM users
        WHERE created_at <= @At AND (created_at < @At OR id < @Id)
        ORDER BY created_at DESC, id DESC
        LIMIT 1 OFFSET @Skip
        """;

    /// <summary>Where a walk newer than the cursor gives up: the join time <c>@Skip</c> rows along the listing index.</summary>
    public const string WalkLimitNewer = """
        SELECT created_at FROM users
        WHERE created_at >= @At AND (created_at > @At OR id > @Id)
        ORDER BY created_at ASC, id ASC
        LIMIT 1 OFFSET @Skip
        """;

    /// <summary>A page of a search found by walking the listing index from the cursor, older, down to <c>@Floor</c>.</summary>
    public const string WalkOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at <= @At AND (created_at < @At OR id < @Id)
          AND created_at >= @Floor
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of a search found by walking the listing index from the cursor, newer, up to <c>@Floor</c>.</summary>
    public const string WalkNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM users
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at >= @At AND (created_at > @At OR id > @Id)
          AND created_at <= @Floor
        ORDER BY created_at ASC, id ASC
        LIMIT @Limit
        """;

    /// <summary>
    /// The term as one quoted FTS5 string: with the trigram tokenizer it matches the term as a case-insensitive
    /// substring of either column, every character literal.
    /// </summary>
    public static string MatchQuery(string search) => "\"" + search.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
