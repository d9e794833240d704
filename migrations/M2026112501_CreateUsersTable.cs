using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>Creates the <c>users</c> table with its uniqueness rules and the index behind the listing.</summary>
[Migration(2026112501, "Create users table")]
public sealed class CreateUsersTable : Migration
{
    // MariaDB and MySQL commit each DDL statement on its own, so a migrate killed (or failing) midway leaves the first
    // steps done and the migration unrecorded: each step here leaves alone what an interrupted run already did, and
    // the next run finishes the job.
    public override void Up()
    {
        if (!Schema.Table("users").Exists())
        {
            Create.Table("users")
                .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
                .WithColumn("username").AsString(40).NotNullable()
                .WithColumn("email").AsString(255).NotNullable()
                .WithColumn("created_at").AsDateTime().NotNullable().WithDefault(SystemMethods.CurrentUTCDateTime);
        }

        // MySQL and MariaDB make "national" strings utf8mb3 (no emoji) with an accent-insensitive collation, whatever the
        // database's defaults. Emails get full UTF-8 and exact comparison as on the other engines; usernames (ASCII
        // only) get a case-insensitive collation, which is what makes their unique index below ignore case.
        IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Execute.Sql("""
            ALTER TABLE users
                MODIFY username VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,
                MODIFY email VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
            """);

        // Emails are stored lower-cased by the app, so a plain unique index is exact.
        if (!Schema.Table("users").Index("ux_users_email").Exists())
        {
            Create.Index("ux_users_email").OnTable("users")
                .OnColumn("email").Ascending()
                .WithOptions().Unique();
        }

        // Usernames keep the case people typed, but "Alice" and "alice" are one name. The database enforces that
        // itself so two racing signups cannot both win: an expression index on lower(username) where the engine has
        // them; MariaDB has no expression indexes, but the username column's collation compares case-insensitively.
        IfDatabase(EngineFamily.Of("SQLite", "Postgres")).Execute.Sql("CREATE UNIQUE INDEX ux_users_username_ci ON users (lower(username));");
        if (!Schema.Table("users").Index("ux_users_username_ci").Exists())
        {
            IfDatabase(EngineFamily.Of("MySql", "MariaDB")).Create.Index("ux_users_username_ci").OnTable("users")
                .OnColumn("username").Ascending()
                .WithOptions().Unique();
        }

        // The listing walks newest first with ties broken by id; keyset pagination seeks into this index, so the
        // first page and a deep page cost the same.
        if (!Schema.Table("users").Index("ix_users_created_at_id").Exists())
        {
            Create.Index("ix_users_created_at_id").OnTable("users")
                .OnColumn("created_at").Descending()
                .OnColumn("id").Descending();
        }
    }

    public override void Down()
    {
        Delete.Table("users");
    }
}
