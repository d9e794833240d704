using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// Gives the one-row <c>user_count</c> table a key, and every statement that reads or updates it looks it up by that
/// key. On PostgreSQL an update leaves the old row version behind, and a bulk load in one transaction (the seed command:
/// two updates per 20-row statement) leaves thousands of them; vacuuming frees them but the file keeps its size, and a
/// lookup without a key scanned all of it on every listing request and every signup
/// (docs/performance.md#postgresql-with-the-listing-kept).
/// </summary>
[Migration(2026112902, "Key the user count")]
public sealed class KeyTheUserCount : Migration
{
    public override void Up()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            ALTER TABLE user_count ADD COLUMN id INTEGER NOT NULL DEFAULT 1;
            CREATE UNIQUE INDEX ux_user_count_id ON user_count (id);
            """);

        // The trigger functions are replaced in this migration's transaction: no signup is ever left uncounted.
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            ALTER TABLE user_count ADD COLUMN id integer NOT NULL DEFAULT 1, ADD CONSTRAINT pk_user_count PRIMARY KEY (id);
            CREATE OR REPLACE FUNCTION users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total + (SELECT COUNT(*) FROM inserted) WHERE id = 1; RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total - (SELECT COUNT(*) FROM deleted) WHERE id = 1; RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_version_raised() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET version = version + 1 WHERE id = 1; RETURN NULL; END $$;
            """);

        // InnoDB updates its rows in place, so its triggers stay as they are; one statement, safe to run again after a
        // killed run (see CountUsersInARow).
        if (!Schema.Table("user_count").Column("id").Exists())
        {
            IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("ALTER TABLE user_count ADD COLUMN id INT NOT NULL DEFAULT 1, ADD PRIMARY KEY (id);");
        }
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP INDEX ux_user_count_id;
            ALTER TABLE user_count DROP COLUMN id;
            """);
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            CREATE OR REPLACE FUNCTION users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total + (SELECT COUNT(*) FROM inserted); RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total - (SELECT COUNT(*) FROM deleted); RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_version_raised() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET version = version + 1; RETURN NULL; END $$;
            ALTER TABLE user_count DROP COLUMN id;
            """);
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("ALTER TABLE user_count DROP PRIMARY KEY, DROP COLUMN id;");
    }
}
