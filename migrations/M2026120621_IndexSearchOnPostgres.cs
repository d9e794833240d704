using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// PostgreSQL: the search's trigram table, as on MariaDB. <c>user_trigrams</c> holds every three-character piece of
/// each user's lower-cased username and email, keyed by (trigram, id), kept by triggers in the writing transaction. A
/// search walks its term's rarest trigram newest first, so the page comes in id order and the walk stops with it;
/// pg_trgm's GIN indexes, which return matches in no order, stay for what that walk leaves
/// (docs/performance.md#search-on-postgresql). Each statement commits by itself, so writes wait only for the short
/// ones, not for the minutes the backfill takes over a million users; each passes what an interrupted run left.
/// </summary>
[Migration(2026120621, TransactionBehavior.None, "Index search on PostgreSQL")]
public sealed class IndexSearchOnPostgres : Migration
{
    // COLLATE "C": trigrams compare as bytes, exactly as the term's own pieces do, and the key's comparisons are cheap.
    // Statistics on up to 10,000 trigrams: the search reads the planner's most common ones to pick the rarest.
    private const string Table = """
        CREATE TABLE IF NOT EXISTS user_trigrams (
            trigram text COLLATE "C" NOT NULL,
            id bigint NOT NULL,
            PRIMARY KEY (trigram, id));
        ALTER TABLE user_trigrams ALTER COLUMN trigram SET STATISTICS 10000;

        CREATE OR REPLACE FUNCTION user_trigrams_of(username text, email text) RETURNS SETOF text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT DISTINCT substr(texts.text, i, 3)
            FROM (VALUES (lower(username)), (email)) AS texts (text), generate_series(1, char_length(texts.text) - 2) AS i
        $$;
        """;

    // Once per statement, over its transition tables, as the count's triggers: a seed's batch is one insert.
    private const string Triggers = """
        CREATE OR REPLACE FUNCTION users_trigrams_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO user_trigrams (trigram, id)
            SELECT piece, inserted.id FROM inserted, user_trigrams_of(inserted.username, inserted.email) AS piece;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION users_trigrams_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM user_trigrams
            USING old_rows JOIN new_rows ON new_rows.id = old_rows.id, user_trigrams_of(old_rows.username, old_rows.email) AS piece
            WHERE (new_rows.username, new_rows.email) IS DISTINCT FROM (old_rows.username, old_rows.email)
              AND user_trigrams.trigram = piece AND user_trigrams.id = old_rows.id;
            INSERT INTO user_trigrams (trigram, id)
            SELECT piece, new_rows.id
            FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id, user_trigrams_of(new_rows.username, new_rows.email) AS piece
            WHERE (new_rows.username, new_rows.email) IS DISTINCT FROM (old_rows.username, old_rows.email);
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION users_trigrams_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM user_trigrams
            USING deleted, user_trigrams_of(deleted.username, deleted.email) AS piece
            WHERE user_trigrams.trigram = piece AND user_trigrams.id = deleted.id;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER users_trigrams_insert AFTER INSERT ON users REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION users_trigrams_inserted();
        CREATE OR REPLACE TRIGGER users_trigrams_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION users_trigrams_updated();
        CREATE OR REPLACE TRIGGER users_trigrams_delete AFTER DELETE ON users REFERENCING OLD TABLE AS deleted
            FOR EACH STATEMENT EXECUTE FUNCTION users_trigrams_deleted();
        """;

    // After the triggers, so a user signing up meanwhile is indexed by one or the other (ON CONFLICT passes the rows
    // they or an interrupted run wrote). A user renamed or deleted meanwhile may leave pieces of its old text behind:
    // a search only proposes by them and the LIKE on the user's row decides. ANALYZE, so the first searches know which
    // trigrams are rare.
    private const string Backfill = """
        INSERT INTO user_trigrams (trigram, id)
        SELECT piece, users.id FROM users, user_trigrams_of(users.username, users.email) AS piece
        ON CONFLICT DO NOTHING;
        ANALYZE user_trigrams;
        """;

    public override void Up()
    {
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql(Table);
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql(Triggers);
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql(Backfill);
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            DROP TRIGGER IF EXISTS users_trigrams_insert ON users;
            DROP TRIGGER IF EXISTS users_trigrams_update ON users;
            DROP TRIGGER IF EXISTS users_trigrams_delete ON users;
            DROP FUNCTION IF EXISTS users_trigrams_inserted();
            DROP FUNCTION IF EXISTS users_trigrams_updated();
            DROP FUNCTION IF EXISTS users_trigrams_deleted();
            DROP TABLE IF EXISTS user_trigrams;
            DROP FUNCTION IF EXISTS user_trigrams_of(text, text);
            """);
    }
}
