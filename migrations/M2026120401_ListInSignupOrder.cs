using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// The listing is in signup order, which the id records: newest first is highest id first, and the primary key serves
/// every page. The index on the join time and SQLite's record of users out of id order served the earlier order by
/// <c>created_at</c>, which could disagree with the ids (backdated imports), and go.
/// </summary>
[Migration(2026120401, "List in signup order")]
public sealed class ListInSignupOrder : Migration
{
    public override void Up()
    {
        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql("""
            DROP TRIGGER IF EXISTS users_order_delete;
            DROP TRIGGER IF EXISTS users_order_update;
            DROP TRIGGER IF EXISTS users_order_insert;
            DROP TABLE IF EXISTS users_out_of_order;
            """);

        // Checked first: MariaDB commits each schema change on its own, so an interrupted run may have dropped it already.
        if (Schema.Table("users").Index("ix_users_created_at_id").Exists())
        {
            Delete.Index("ix_users_created_at_id").OnTable("users");
        }
    }

    public override void Down()
    {
        if (!Schema.Table("users").Index("ix_users_created_at_id").Exists())
        {
            Create.Index("ix_users_created_at_id").OnTable("users")
                .OnColumn("created_at").Descending()
                .OnColumn("id").Descending();
        }

        IfDatabase(EngineFamily.Of("SQLite")).Execute.Sql(SearchInListingOrder.SqliteOutOfOrder);
    }
}
