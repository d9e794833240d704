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
/// SQLite: the FTS5 trigram table <c>users_search</c> (migration IndexUserSearch) finds a search's candidates, which
/// the same LIKE as on the other engines then checks. SQLite's planner cannot use it for LIKE, so the repository asks it.
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

    /// <summary>The users a search matches, counted up to <c>@Limit</c>, through the search index.</summary>
    public const string CountMatches = """
        SELECT COUNT(*) FROM (
            SELECT 1
            FROM (SELECT rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
            JOIN users ON id = candidate_id
            WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
            LIMIT @Limit)
        """;

    /// <summary>A page of a search from the search index's candidates, newest first, older than the cursor.</summary>
    public const string CandidatesOlder = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (SELECT rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
        JOIN users ON id = candidate_id
        WHERE (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
          AND created_at <= @At AND (created_at < @At OR id < @Id)
        ORDER BY created_at DESC, id DESC
        LIMIT @Limit
        """;

    /// <summary>A page of a search from the search index's candidates, oldest first, newer than the cursor.</summary>
    public const string CandidatesNewer = """
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (SELECT rowid AS candidate_id FROM users_search WHERE users_search MATCH @Match) AS candidates
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
