using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// Keeps the number of users in a one-row table, maintained by triggers in the same transaction as every insert or
/// delete, so the listing reads its total in one row lookup instead of a COUNT(*) over the whole table per request.
/// </summary>
[Migration(2026112503, "Count users in a row")]
public sealed class CountUsersInARow : Migration
{
    // Triggers rather than application code: seeds, imports and every app instance keep the count exact without
    // having to remember to. The count commits or rolls back with the row it counts.
    //
    // MariaDB and MySQL commit each DDL statement on its own, so a migrate killed midway leaves the first steps done
    // and the migration unrecorded: each step here leaves alone what a killed run already did, and the next run
    // finishes the job.
    public override void Up()
    {
        if (!Schema.Table("user_count").Exists())
        {
            Create.Table("user_count")
                .WithColumn("total").AsInt64().NotNullable();
        }

        Execute.Sql("""
            INSERT INTO user_count (total)
            SELECT total FROM (SELECT COUNT(*) AS total FROM users) AS counted
            WHERE NOT EXISTS (SELECT 1 FROM user_count);
            """);

        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            CREATE TRIGGER users_count_insert AFTER INSERT ON users
            BEGIN UPDATE user_count SET total = total + 1; END;
            CREATE TRIGGER users_count_delete AFTER DELETE ON users
            BEGIN UPDATE user_count SET total = total - 1; END;
            """);

        // Statement-level with transition tables: a multi-row seed insert updates the count once, not once per row.
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            CREATE FUNCTION users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total + (SELECT COUNT(*) FROM inserted); RETURN NULL; END $$;
            CREATE FUNCTION users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total - (SELECT COUNT(*) FROM deleted); RETURN NULL; END $$;
            CREATE TRIGGER users_count_insert AFTER INSERT ON users REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION users_count_inserted();
            CREATE TRIGGER users_count_delete AFTER DELETE ON users REFERENCING OLD TABLE AS deleted
                FOR EACH STATEMENT EXECUTE FUNCTION users_count_deleted();
            """);

        // One statement per Execute: MySqlConnector sends a trigger body's ';' as part of the single statement.
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER IF NOT EXISTS users_count_insert AFTER INSERT ON users FOR EACH ROW UPDATE user_count SET total = total + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER IF NOT EXISTS users_count_delete AFTER DELETE ON users FOR EACH ROW UPDATE user_count SET total = total - 1;");
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite", "MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_insert;");
        IfDatabase(EngineFamily.Of("SQLite", "MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_delete;");
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            DROP TRIGGER users_count_insert ON users;
            DROP TRIGGER users_count_delete ON users;
            DROP FUNCTION users_count_inserted();
            DROP FUNCTION users_count_deleted();
            """);
        Delete.Table("user_count");
    }
}
