using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// MariaDB and MySQL: the search's trigram table. <c>user_trigrams</c> holds every three-character piece of each
/// user's lower-cased username and email, keyed by (trigram, id), and triggers keep it in the writing transaction,
/// as the count's do. A search walks one trigram's ids newest first, so the id order the listing uses comes straight
/// from the key (docs/performance.md#mariadb-a-trigram-table). InnoDB FULLTEXT has no n-gram parser on MariaDB, and
/// Mroonga, which has, is neither transactional nor offered by managed MariaDB services.
/// </summary>
[Migration(2026120620, "Index search on MariaDB")]
public sealed class IndexSearchOnMariaDb : Migration
{
    // utf8mb4_bin: the trigrams are compared exactly, as the lower-cased term's own pieces are.
    public const string Table = """
        CREATE TABLE IF NOT EXISTS user_trigrams (
            trigram CHAR(3) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
            id BIGINT NOT NULL,
            PRIMARY KEY (trigram, id)
        ) ENGINE = InnoDB;
        """;

    // The pieces come from a recursive count up to the longer text's last trigram (emails are at most 255 characters,
    // under MariaDB's default of 1,000 iterations and MySQL's cte_max_recursion_depth of 1,000).
    public const string InsertTrigger = """
        CREATE TRIGGER IF NOT EXISTS users_trigrams_insert AFTER INSERT ON users FOR EACH ROW
        INSERT INTO user_trigrams (trigram, id)
        WITH RECURSIVE n (i) AS (
            SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < GREATEST(CHAR_LENGTH(NEW.username), CHAR_LENGTH(NEW.email)) - 2)
        SELECT DISTINCT SUBSTRING(texts.text, n.i, 3), NEW.id
        FROM (SELECT LOWER(NEW.username) AS text UNION ALL SELECT NEW.email) AS texts
        JOIN n ON n.i <= CHAR_LENGTH(texts.text) - 2;
        """;

    // A join, not "trigram IN (...)": MariaDB 10.11 runs a single-table DELETE's subquery once per row of the table.
    private const string DeleteTrigger = """
        CREATE TRIGGER IF NOT EXISTS users_trigrams_delete AFTER DELETE ON users FOR EACH ROW
        DELETE user_trigrams FROM user_trigrams JOIN (
            WITH RECURSIVE n (i) AS (
                SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < GREATEST(CHAR_LENGTH(OLD.username), CHAR_LENGTH(OLD.email)) - 2)
            SELECT SUBSTRING(texts.text, n.i, 3) AS trigram
            FROM (SELECT LOWER(OLD.username) AS text UNION ALL SELECT OLD.email) AS texts
            JOIN n ON n.i <= CHAR_LENGTH(texts.text) - 2) AS old_trigrams
        ON user_trigrams.trigram = old_trigrams.trigram AND user_trigrams.id = OLD.id;
        """;

    // An update is two triggers, the old pieces deleted before the new ones are written (FOLLOWS), not one with a
    // BEGIN … END body, which the mariadb client would split at its inner semicolons when run from `migrate script`.
    private const string UpdateDeleteTrigger = """
        CREATE TRIGGER IF NOT EXISTS users_trigrams_update_old AFTER UPDATE ON users FOR EACH ROW
        DELETE user_trigrams FROM user_trigrams JOIN (
            WITH RECURSIVE n (i) AS (
                SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < GREATEST(CHAR_LENGTH(OLD.username), CHAR_LENGTH(OLD.email)) - 2)
            SELECT SUBSTRING(texts.text, n.i, 3) AS trigram
            FROM (SELECT LOWER(OLD.username) AS text UNION ALL SELECT OLD.email) AS texts
            JOIN n ON n.i <= CHAR_LENGTH(texts.text) - 2) AS old_trigrams
        ON user_trigrams.trigram = old_trigrams.trigram AND user_trigrams.id = OLD.id;
        """;

    private const string UpdateInsertTrigger = """
        CREATE TRIGGER IF NOT EXISTS users_trigrams_update_new AFTER UPDATE ON users FOR EACH ROW FOLLOWS users_trigrams_update_old
        INSERT INTO user_trigrams (trigram, id)
        WITH RECURSIVE n (i) AS (
            SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < GREATEST(CHAR_LENGTH(NEW.username), CHAR_LENGTH(NEW.email)) - 2)
        SELECT DISTINCT SUBSTRING(texts.text, n.i, 3), NEW.id
        FROM (SELECT LOWER(NEW.username) AS text UNION ALL SELECT NEW.email) AS texts
        JOIN n ON n.i <= CHAR_LENGTH(texts.text) - 2;
        """;

    // After the triggers, so a user signing up meanwhile is indexed by one or the other; IGNORE passes the rows the
    // triggers or a killed earlier run already wrote. INSERT ... SELECT locks the users it reads until it commits, so
    // no user is deleted or changed between being read here and its trigrams being written.
    private const string Backfill = """
        INSERT IGNORE INTO user_trigrams (trigram, id)
        WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 253)
        SELECT SUBSTRING(texts.text, n.i, 3), texts.id
        FROM (SELECT id, LOWER(username) AS text FROM users UNION ALL SELECT id, email FROM users) AS texts
        JOIN n ON n.i <= CHAR_LENGTH(texts.text) - 2;
        """;

    // MariaDB commits each DDL statement on its own: one statement per Execute, each passing what a killed run left
    // (see CountUsersInARow).
    public override void Up()
    {
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(Table);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(InsertTrigger);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(DeleteTrigger);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(UpdateDeleteTrigger);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(UpdateInsertTrigger);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql(Backfill);
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER IF EXISTS users_trigrams_update_new;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER IF EXISTS users_trigrams_update_old;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER IF EXISTS users_trigrams_delete;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER IF EXISTS users_trigrams_insert;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TABLE IF EXISTS user_trigrams;");
    }
}
