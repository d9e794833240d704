using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// SQLite: the search index read in the listing's order, so a search's newest page is the first matches the index
/// yields, not all of its matches read and sorted (docs/performance.md#search-one-statement-per-engine).
/// <list type="bullet">
/// <item>The FTS5 table keeps its name but is keyed by <c>-id</c> (no content of its own: the text stays in
/// <c>users</c>), so its ascending walk, FTS5's fast direction, goes from the newest id to the oldest.</item>
/// <item>Ids follow the listing's order (<c>created_at</c>, then id) for every user not in <c>users_out_of_order</c>:
/// a user is put there when, on insert, an older id or a later join time already exists, or when its id or join time
/// changes. Users imported with their own join dates among newer ones are the usual case; signups never are.</item>
/// </list>
/// </summary>
[Migration(2026112903, "Search in listing order")]
public sealed class SearchInListingOrder : Migration
{
    /// <summary>The users kept apart as out of id order, as this migration makes them; ListInSignupOrder puts them back when rolled back.</summary>
    internal const string SqliteOutOfOrder = """
            CREATE TABLE users_out_of_order (id INTEGER PRIMARY KEY);
            INSERT INTO users_out_of_order (id)
            SELECT id FROM (
                SELECT id, created_at, MAX(created_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before
                FROM users)
            WHERE created_at < latest_before;
            CREATE TRIGGER users_order_insert AFTER INSERT ON users
            WHEN new.id < (SELECT MAX(id) FROM users) OR EXISTS (SELECT 1 FROM users WHERE created_at > new.created_at)
            BEGIN
                INSERT INTO users_out_of_order (id) VALUES (new.id);
            END;
            CREATE TRIGGER users_order_update AFTER UPDATE OF id, created_at ON users
            WHEN new.id <> old.id OR new.created_at IS NOT old.created_at
            BEGIN
                DELETE FROM users_out_of_order WHERE id = old.id;
                INSERT INTO users_out_of_order (id) VALUES (new.id);
            END;
            CREATE TRIGGER users_order_delete AFTER DELETE ON users BEGIN
                DELETE FROM users_out_of_order WHERE id = old.id;
            END;
        """;

    public override void Up()
    {
        // One transaction on SQLite: instances signing up meanwhile wait for the write lock, and find it all done.
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_search_update;
            DROP TRIGGER users_search_delete;
            DROP TRIGGER users_search_insert;
            DROP TABLE users_search;
            CREATE VIRTUAL TABLE users_search USING fts5(username, email, content = '', tokenize = 'trigram');
            INSERT INTO users_search (rowid, username, email) SELECT -id, username, email FROM users;
            CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
                INSERT INTO users_search (rowid, username, email) VALUES (-new.id, new.username, new.email);
            END;
            CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
                INSERT INTO users_search (users_search, rowid, username, email) VALUES ('delete', -old.id, old.username, old.email);
            END;
            CREATE TRIGGER users_search_update AFTER UPDATE OF id, username, email ON users BEGIN
                INSERT INTO users_search (users_search, rowid, username, email) VALUES ('delete', -old.id, old.username, old.email);
                INSERT INTO users_search (rowid, username, email) VALUES (-new.id, new.username, new.email);
            END;

            """ + SqliteOutOfOrder);
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_order_delete;
            DROP TRIGGER users_order_update;
            DROP TRIGGER users_order_insert;
            DROP TABLE users_out_of_order;
            DROP TRIGGER users_search_update;
            DROP TRIGGER users_search_delete;
            DROP TRIGGER users_search_insert;
            DROP TABLE users_search;
            """ + IndexUserSearch.SqliteIndex);
    }
}
