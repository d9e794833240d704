using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// A trigram index behind the listing's "username or email contains" search, so a rare term does not scan every row.
/// The app still checks each candidate with the same LIKE as before: the index only narrows the rows down.
/// </summary>
[Migration(2026112505, "Index user search")]
public sealed class IndexUserSearch : Migration
{
    /// <summary>SQLite's index as this migration makes it; SearchInListingOrder puts it back when rolled back.</summary>
    internal const string SqliteIndex = """
        CREATE VIRTUAL TABLE users_search USING fts5(
            username, email, content = 'users', content_rowid = 'id', tokenize = 'trigram');
        INSERT INTO users_search (users_search) VALUES ('rebuild');
        CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
            INSERT INTO users_search (rowid, username, email) VALUES (new.id, new.username, new.email);
        END;
        CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
            INSERT INTO users_search (users_search, rowid, username, email) VALUES ('delete', old.id, old.username, old.email);
        END;
        CREATE TRIGGER users_search_update AFTER UPDATE ON users BEGIN
            INSERT INTO users_search (users_search, rowid, username, email) VALUES ('delete', old.id, old.username, old.email);
            INSERT INTO users_search (rowid, username, email) VALUES (new.id, new.username, new.email);
        END;
        """;

    public override void Up()
    {
        // SQLite: an FTS5 table with the trigram tokenizer (case-insensitive substring matching) over the users table's
        // own columns (external content: the text is stored once), kept current by triggers in the writing transaction.
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql(SqliteIndex);

        // PostgreSQL: pg_trgm GIN indexes serve LIKE '%term%' directly, on exactly the expressions the search compares.
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX ix_users_username_trgm ON users USING gin (lower(username) gin_trgm_ops);
            CREATE INDEX ix_users_email_trgm ON users USING gin (email gin_trgm_ops);
            """);

        // MariaDB/MySQL have no trigram index that serves LIKE '%term%'; the search scans there (docs/performance.md).
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_search_update;
            DROP TRIGGER users_search_delete;
            DROP TRIGGER users_search_insert;
            DROP TABLE users_search;
            """);
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            DROP INDEX ix_users_email_trgm;
            DROP INDEX ix_users_username_trgm;
            """);
    }
}
