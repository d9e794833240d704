using FluentMigrator;

namespace UserPages.Tests.Cli;

/// <summary>
/// A test-only migration (never in <c>migrations/</c>) that changes the schema twice and then fails: applying it must
/// leave the version and the schema as they were.
/// </summary>
[Migration(2026112506, "Fails midway (test only)")]
public sealed class FailsMidway : Migration
{
    public const string Reason = "no such table: table_that_does_not_exist";

    public override void Up()
    {
        Create.Table("half_done").WithColumn("id").AsInt64().NotNullable();
        Alter.Table("users").AddColumn("nickname").AsString(40).Nullable();
        Execute.Sql("INSERT INTO table_that_does_not_exist VALUES (1)");
    }

    public override void Down() => Delete.Table("half_done");
}
