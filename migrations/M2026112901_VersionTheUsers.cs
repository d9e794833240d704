using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// Gives the user count row a version that every insert, update or delete of a user raises, in the same transaction,
/// so a copy of a page kept between requests can be keyed to it and stays exact across app instances and tools.
/// </summary>
[Migration(2026112901, "Version the users")]
public sealed class VersionTheUsers : Migration
{
    // The count alone is not a version: a user deleted by an operator and another signed up leave it unchanged.
    // Only raised, never lowered, so a version is never reused for different contents.
    public override void Up()
    {
        Alter.Table("user_count").AddColumn("version").AsInt64().NotNullable().WithDefaultValue(0);

        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_count_insert;
            DROP TRIGGER users_count_delete;
            CREATE TRIGGER users_count_insert AFTER INSERT ON users
            BEGIN UPDATE user_count SET total = total + 1, version = version + 1; END;
            CREATE TRIGGER users_count_delete AFTER DELETE ON users
            BEGIN UPDATE user_count SET total = total - 1, version = version + 1; END;
            CREATE TRIGGER users_version_update AFTER UPDATE ON users
            BEGIN UPDATE user_count SET version = version + 1; END;
            """);

        // Statement-level like the count: a seed's multi-row insert raises the version once.
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            CREATE OR REPLACE FUNCTION users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total + (SELECT COUNT(*) FROM inserted), version = version + 1; RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total - (SELECT COUNT(*) FROM deleted), version = version + 1; RETURN NULL; END $$;
            CREATE FUNCTION users_version_updated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET version = version + 1; RETURN NULL; END $$;
            CREATE TRIGGER users_version_update AFTER UPDATE ON users
                FOR EACH STATEMENT EXECUTE FUNCTION users_version_updated();
            """);

        // One statement per Execute (see CountUsersInARow).
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_insert;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_delete;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER users_count_insert AFTER INSERT ON users FOR EACH ROW UPDATE user_count SET total = total + 1, version = version + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER users_count_delete AFTER DELETE ON users FOR EACH ROW UPDATE user_count SET total = total - 1, version = version + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER users_version_update AFTER UPDATE ON users FOR EACH ROW UPDATE user_count SET version = version + 1;");
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_version_update;
            DROP TRIGGER users_count_insert;
            DROP TRIGGER users_count_delete;
            CREATE TRIGGER users_count_insert AFTER INSERT ON users
            BEGIN UPDATE user_count SET total = total + 1; END;
            CREATE TRIGGER users_count_delete AFTER DELETE ON users
            BEGIN UPDATE user_count SET total = total - 1; END;
            """);

        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            DROP TRIGGER users_version_update ON users;
            DROP FUNCTION users_version_updated();
            CREATE OR REPLACE FUNCTION users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total + (SELECT COUNT(*) FROM inserted); RETURN NULL; END $$;
            CREATE OR REPLACE FUNCTION users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET total = total - (SELECT COUNT(*) FROM deleted); RETURN NULL; END $$;
            """);

        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_version_update;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_insert;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_count_delete;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER users_count_insert AFTER INSERT ON users FOR EACH ROW UPDATE user_count SET total = total + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER users_count_delete AFTER DELETE ON users FOR EACH ROW UPDATE user_count SET total = total - 1;");

        Delete.Column("version").FromTable("user_count");
    }
}
