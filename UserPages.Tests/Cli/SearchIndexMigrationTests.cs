using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>PostgreSQL's search indexes keep a small GIN pending list, set by a migration that `migrate down` undoes.</summary>
public sealed class SearchIndexMigrationTests(DatabaseFixture<PostgresEngine> database) : IClassFixture<DatabaseFixture<PostgresEngine>>
{
    private const string SearchIndexOptions =
        "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname IN ('ix_users_username_trgm', 'ix_users_email_trgm')";

    [Fact]
    public async Task Up_caps_the_search_indexes_pending_lists_and_down_restores_the_default()
    {
        await database.Db.MigrateAsync();
        Assert.Equal(["gin_pending_list_limit=64", "gin_pending_list_limit=64"], await database.Db.QueryAsync<string>(SearchIndexOptions));

        var down = await AppProcess.RunAsync(database.Db.Settings, "migrate", "down", "--to", "2026112505");

        Assert.Equal(0, down.ExitCode);
        Assert.Contains("Schema is at version 2026112505.", down.Output, StringComparison.Ordinal);
        Assert.Equal(["", ""], await database.Db.QueryAsync<string>(SearchIndexOptions));
    }
}
