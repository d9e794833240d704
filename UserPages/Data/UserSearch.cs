using Dapper;

namespace UserPages.Data;

/// <summary>
/// The listing's search: users whose username (in any letter case) or email contains a term, newest first (highest id
/// first), one statement per engine. On SQLite the FTS5 trigram table <c>users_search</c>, keyed by <c>-id</c> so its
/// fast ascending walk yields the newest users first, finds the candidates and the LIKE checks them. On MariaDB and
/// PostgreSQL the key of the <c>user_trigrams</c> table walks one of the term's trigrams in id order and the LIKE checks
/// each candidate; on PostgreSQL pg_trgm's indexes serve what a bounded walk leaves.
/// </summary>
public sealed class UserSearch(Database database)
{
    /// <summary>The length of the pieces the search indexes are made of (FTS5 trigram, pg_trgm), in characters.</summary>
    public const int TrigramLength = 3;

    // '!' rather than '\' as the LIKE escape: MySQL would need the backslash itself escaped in the literal.

    // CROSS JOIN keeps SQLite driving from the search index, in its order, so the LIMIT stops the walk.

    /// <summary>SQLite: a page of a search, newest first, older than the cursor, through the search index (rowid &gt; -id is id &lt; @Id).</summary>
    public const string SearchOlderSqlite = """
        SELECT users.id AS Id, users.username AS Username, users.email AS Email, users.created_at AS CreatedAt
        FROM users_search CROSS JOIN users ON users.id = -users_search.rowid
        WHERE users_search MATCH @Match AND users_search.rowid > -@Id
          AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
        ORDER BY users_search.rowid
        LIMIT @Limit
        """;

    /// <summary>SQLite: a page of a search, oldest first, newer than the cursor, through the search index.</summary>
    public const string SearchNewerSqlite = """
        SELECT users.id AS Id, users.username AS Username, users.email AS Email, users.created_at AS CreatedAt
        FROM users_search CROSS JOIN users ON users.id = -users_search.rowid
        WHERE users_search MATCH @Match AND users_search.rowid < -@Id
          AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
        ORDER BY users_search.rowid DESC
        LIMIT @Limit
        """;

    // PostgreSQL: the key of user_trigrams walks, in id order, the ids holding the term's rarest trigram (@Rarest, by
    // the planner's statistics) and @WalkedWith, two lists merged as they are read, or the rarest alone when
    // @WalkedWith is that trigram; two more trigrams are looked up by key and the LIKE decides, so the LIMIT stops the
    // walk (TrigramFrequencies chooses). The OFFSET 0 fences keep the planner from turning those lookups into joins
    // that read whole ranges. A walk of 2,000 ids that still lacks a page leaves the ids beyond it to pg_trgm's GIN
    // indexes, unordered and so never an unbounded walk; a One-Time Filter skips them otherwise
    // (docs/performance.md#search-on-postgresql). Every statement here is planned once per session (plan_cache_mode).

    /// <summary>PostgreSQL: a page of a search, newest first, older than the cursor: the rarest trigram walked, then the GIN indexes.</summary>
    public const string SearchOlderPostgres = """
        WITH found AS MATERIALIZED (
            SELECT users.id, users.username, users.email, users.created_at
            FROM (SELECT walked.id FROM user_trigrams AS walked JOIN user_trigrams AS partner ON partner.id = walked.id
                  WHERE walked.trigram = @Rarest AND walked.id < @Id AND partner.trigram = @WalkedWith AND partner.id < @Id
                  ORDER BY walked.id DESC LIMIT 2000) AS walk
            CROSS JOIN LATERAL (SELECT id, username, email, created_at FROM users WHERE users.id = walk.id OFFSET 0) AS users
            WHERE EXISTS (SELECT 1 FROM user_trigrams WHERE trigram = @Second AND user_trigrams.id = walk.id OFFSET 0)
              AND EXISTS (SELECT 1 FROM user_trigrams WHERE trigram = @Third AND user_trigrams.id = walk.id OFFSET 0)
              AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
            ORDER BY walk.id DESC
            LIMIT @Limit),
        walked_to AS MATERIALIZED (
            SELECT walked.id FROM user_trigrams AS walked JOIN user_trigrams AS partner ON partner.id = walked.id
            WHERE walked.trigram = @Rarest AND walked.id < @Id AND partner.trigram = @WalkedWith AND partner.id < @Id
            ORDER BY walked.id DESC OFFSET 1999 LIMIT 1)
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (
            SELECT id, username, email, created_at FROM found
            UNION ALL
            SELECT id, username, email, created_at
            FROM users
            WHERE id < (SELECT id FROM walked_to)
              AND (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
              AND (SELECT count(*) FROM found) < @Limit AND EXISTS (SELECT 1 FROM walked_to)) AS matches
        ORDER BY id DESC
        LIMIT @Limit
        """;

    /// <summary>PostgreSQL: a page of a search, oldest first, newer than the cursor: the rarest trigram walked, then the GIN indexes.</summary>
    public const string SearchNewerPostgres = """
        WITH found AS MATERIALIZED (
            SELECT users.id, users.username, users.email, users.created_at
            FROM (SELECT walked.id FROM user_trigrams AS walked JOIN user_trigrams AS partner ON partner.id = walked.id
                  WHERE walked.trigram = @Rarest AND walked.id > @Id AND partner.trigram = @WalkedWith AND partner.id > @Id
                  ORDER BY walked.id LIMIT 2000) AS walk
            CROSS JOIN LATERAL (SELECT id, username, email, created_at FROM users WHERE users.id = walk.id OFFSET 0) AS users
            WHERE EXISTS (SELECT 1 FROM user_trigrams WHERE trigram = @Second AND user_trigrams.id = walk.id OFFSET 0)
              AND EXISTS (SELECT 1 FROM user_trigrams WHERE trigram = @Third AND user_trigrams.id = walk.id OFFSET 0)
              AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
            ORDER BY walk.id
            LIMIT @Limit),
        walked_to AS MATERIALIZED (
            SELECT walked.id FROM user_trigrams AS walked JOIN user_trigrams AS partner ON partner.id = walked.id
            WHERE walked.trigram = @Rarest AND walked.id > @Id AND partner.trigram = @WalkedWith AND partner.id > @Id
            ORDER BY walked.id OFFSET 1999 LIMIT 1)
        SELECT id AS Id, username AS Username, email AS Email, created_at AS CreatedAt
        FROM (
            SELECT id, username, email, created_at FROM found
            UNION ALL
            SELECT id, username, email, created_at
            FROM users
            WHERE id > (SELECT id FROM walked_to)
              AND (lower(username) LIKE @Pattern ESCAPE '!' OR email LIKE @Pattern ESCAPE '!')
              AND (SELECT count(*) FROM found) < @Limit AND EXISTS (SELECT 1 FROM walked_to)) AS matches
        ORDER BY id
        LIMIT @Limit
        """;

    // MariaDB: every match holds the term's first, middle and last trigram. The optimizer measures each one's range of
    // the key (trigram, id) and walks the smallest, in id order, joining the other two and the user by key, so the
    // LIMIT stops the walk. @Term is the lower-cased term, the text the pattern escapes.

    /// <summary>MariaDB: a page of a search, newest first, older than the cursor, through the trigram table.</summary>
    public const string SearchOlderMySql = """
        SELECT users.id AS Id, users.username AS Username, users.email AS Email, users.created_at AS CreatedAt
        FROM user_trigrams AS first
        JOIN user_trigrams AS middle ON middle.trigram = SUBSTRING(@Term, (CHAR_LENGTH(@Term) - 1) DIV 2, 3) AND middle.id = first.id
        JOIN user_trigrams AS last ON last.trigram = SUBSTRING(@Term, CHAR_LENGTH(@Term) - 2, 3) AND last.id = first.id
        JOIN users ON users.id = first.id
        WHERE first.trigram = SUBSTRING(@Term, 1, 3) AND first.id < @Id
          AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
        ORDER BY first.id DESC
        LIMIT @Limit
        """;

    /// <summary>MariaDB: a page of a search, oldest first, newer than the cursor, through the trigram table.</summary>
    public const string SearchNewerMySql = """
        SELECT users.id AS Id, users.username AS Username, users.email AS Email, users.created_at AS CreatedAt
        FROM user_trigrams AS first
        JOIN user_trigrams AS middle ON middle.trigram = SUBSTRING(@Term, (CHAR_LENGTH(@Term) - 1) DIV 2, 3) AND middle.id = first.id
        JOIN user_trigrams AS last ON last.trigram = SUBSTRING(@Term, CHAR_LENGTH(@Term) - 2, 3) AND last.id = first.id
        JOIN users ON users.id = first.id
        WHERE first.trigram = SUBSTRING(@Term, 1, 3) AND first.id > @Id
          AND (lower(users.username) LIKE @Pattern ESCAPE '!' OR users.email LIKE @Pattern ESCAPE '!')
        ORDER BY first.id
        LIMIT @Limit
        """;

    private readonly TrigramFrequencies _frequencies = new();

    private readonly (string Older, string Newer, string Count) _statements = StatementsFor(database.Provider);

    private static (string Older, string Newer, string Count) StatementsFor(DatabaseProvider provider)
    {
        var (older, newer) = provider switch
        {
            DatabaseProvider.Sqlite => (SearchOlderSqlite, SearchNewerSqlite),
            DatabaseProvider.MySql => (SearchOlderMySql, SearchNewerMySql),
            _ => (SearchOlderPostgres, SearchNewerPostgres),
        };

        // The matches, counted up to @Limit, are the rows of the first page from the top (run with @Id past every id):
        // the same walk of the same index, so a count costs no more than a page and needs no plan of its own.
        return (older, newer, $"SELECT COUNT(*) FROM ({older}) AS matches");
    }

    /// <summary>
    /// Whether a term is long enough to contain a trigram, counting characters as the indexes do (code points: an
    /// emoji is one); a shorter term could only be found by reading every row.
    /// </summary>
    public static bool HasTrigram(string term) => term.EnumerateRunes().Skip(TrigramLength - 1).Any();

    /// <summary>
    /// A page of the users matching <paramref name="term"/> (which <see cref="HasTrigram"/>), and how many match,
    /// counted only as far as one more than a page: this page's extra row proves that many, and a first page without
    /// one holds them all, so only a later, last page counts (docs/performance.md#the-count-stops-at-a-page).
    /// </summary>
    public async Task<ListingPage> SearchAsync(
        UnitOfWork unit, string term, ListingCursor? olderThan, ListingCursor? newerThan, int pageSize, CancellationToken cancellationToken)
    {
        var newer = newerThan is not null;
        var cursor = newerThan ?? olderThan;
        var lowerCaseTerm = term.ToLowerInvariant();
        var trigrams = database.Provider == DatabaseProvider.Postgres
            ? await _frequencies.ChooseAsync(unit, lowerCaseTerm, cancellationToken)
            : null;
        var parameters = new
        {
            Id = cursor?.Id ?? long.MaxValue,
            Limit = pageSize + 1,
            Pattern = ContainsPattern(lowerCaseTerm),
            Match = MatchQuery(term),
            Term = lowerCaseTerm,
            trigrams?.Rarest,
            trigrams?.WalkedWith,
            trigrams?.Second,
            trigrams?.Third,
        };
        var rows = (await unit.Connection.QueryAsync<User>(new CommandDefinition(
            newer ? _statements.Newer : _statements.Older, parameters, unit.Transaction, cancellationToken: cancellationToken))).AsList();
        var more = rows.Count > pageSize;
        var page = ListingPage.FromRows(rows, pageSize, cursor, newer);
        return page with
        {
            Matches = more ? pageSize + 1
                : cursor is null ? page.Users.Count
                : await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    _statements.Count, parameters with { Id = long.MaxValue }, unit.Transaction, cancellationToken: cancellationToken)),
        };
    }

    private static string ContainsPattern(string lowerCaseTerm) =>
        "%" + lowerCaseTerm.Replace("!", "!!", StringComparison.Ordinal)
            .Replace("%", "!%", StringComparison.Ordinal)
            .Replace("_", "!_", StringComparison.Ordinal) + "%";

    /// <summary>
    /// The term as one quoted FTS5 string: with the trigram tokenizer it matches the term as a case-insensitive
    /// substring of either column, every character literal. Usernames and emails are ASCII, so the index's candidates
    /// for an ASCII term are exactly the LIKE's matches; for any other term the LIKE decides.
    /// </summary>
    private static string MatchQuery(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
