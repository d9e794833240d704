using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// Creates <c>data_protection_keys</c>: the ASP.NET Core Data Protection key ring that antiforgery tokens and TempData
/// cookies are encrypted with. Kept in the database so every app instance behind a load balancer shares it.
/// </summary>
[Migration(2026112502, "Create data protection keys table")]
public sealed class CreateDataProtectionKeys : Migration
{
    public override void Up()
    {
        // Rows are only ever inserted (a new key every 90 days) and read whole; the id keeps them in creation order.
        Create.Table("data_protection_keys")
            .WithColumn("id").AsInt64().NotNullable().PrimaryKey().Identity()
            .WithColumn("friendly_name").AsString(100).Nullable()
            .WithColumn("xml").AsString(int.MaxValue).NotNullable();
    }

    public override void Down()
    {
        Delete.Table("data_protection_keys");
    }
}
