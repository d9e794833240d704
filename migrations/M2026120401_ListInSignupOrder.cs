using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// The listing is in signup order, which the id records: newest first is highest id first, and the primary key serves
/// every page. The index on the join time and SQLite's record of users out of id order served the earlier order by
/// <c>created_at</c>, which could disagree with the ids (backdated imports). SQLite is upgraded by a restart, so both go
/// now; on PostgreSQL and MariaDB the previous release's instances still list by join time during a rolling upgrade,
/// so the index stays until a later release contracts it (docs/operations.md#upgrading-with-no-downtime).
/// </summary>
[Migration(2026120401, "List in signup order")]
public sealed class ListInSignupOrder : Migration
{
    public override void Up()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER users_order_delete;
            DROP TRIGGER users_order_update;
            DROP TRIGGER users_order_insert;
            DROP TABLE users_out_of_order;
            DROP INDEX ix_users_created_at_id;
            """);
    }

    public override void Down()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql(
            "CREATE INDEX ix_users_created_at_id ON users (created_at DESC, id DESC);\n" + SearchInListingOrder.SqliteOutOfOrder);
    }
}
