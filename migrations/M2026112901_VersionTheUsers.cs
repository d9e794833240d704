using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// Gives the user count row a version that every insert, update or delete of a user raises, in the same transaction,
/// so a copy of a page kept between requests can be keyed to it and stays exact across app instances and tools.
/// </summary>
[Migration(2026112901, "Version the users")]
public sealed class VersionTheUsers : Migration
{
    // The count alone is not a version: a user deleted by an operator and another signed up leave it unchanged. The
    // version is only ever raised, so one number never stands for two different sets of users.
    //
    // Triggers of their own beside the count's, not a rewrite of those: instances keep signing up while this runs,
    // and on MariaDB, where each DDL statement commits by itself, a replaced trigger would leave a moment in which
    // signups are not counted. Each step leaves alone what a killed run already did (see CountUsersInARow).
    public override void Up()
    {
        if (!Schema.Table("user_count").Column("version").Exists())
        {
            Alter.Table("user_count").AddColumn("version").AsInt64().NotNullable().WithDefaultValue(0);
        }

        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            CREATE TRIGGER users_version_insert AFTER INSERT ON users BEGIN UPDATE user_count SET version = version + 1; END;
            CREATE TRIGGER users_version_update AFTER UPDATE ON users BEGIN UPDATE user_count SET version = version + 1; END;
            CREATE TRIGGER users_version_delete AFTER DELETE ON users BEGIN UPDATE user_count SET version = version + 1; END;
            """);

        // Statement-level like the count: a seed's multi-row insert raises the version once.
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            CREATE FUNCTION users_version_raised() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE user_count SET version = version + 1; RETURN NULL; END $$;
            CREATE TRIGGER users_version AFTER INSERT OR UPDATE OR DELETE ON users
                FOR EACH STATEMENT EXECUTE FUNCTION users_version_raised();
            """);

        // One statement per Execute (see CountUsersInARow).
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER IF NOT EXISTS users_version_insert AFTER INSERT ON users FOR EACH ROW UPDATE user_count SET version = version + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER IF NOT EXISTS users_version_update AFTER UPDATE ON users FOR EACH ROW UPDATE user_count SET version = version + 1;");
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("CREATE TRIGGER IF NOT EXISTS users_version_delete AFTER DELETE ON users FOR EACH ROW UPDATE user_count SET version = version + 1;");
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite", "MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_version_insert;");
        IfDatabase(EngineFamily.Of("SQLite", "MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_version_update;");
        IfDatabase(EngineFamily.Of("SQLite", "MySql", "MariaDB")).Execute.Sql("DROP TRIGGER users_version_delete;");
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            DROP TRIGGER users_version ON users;
            DROP FUNCTION users_version_raised();
            """);
        Delete.Column("version").FromTable("user_count");
    }
}
