using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// PostgreSQL only: caps the pending list of the two trigram search indexes at 64 kB instead of 4 MB, so a search
/// never scans thousands of unmerged signups; signups cost the same, and turning the list off instead (fastupdate = off)
/// made each cost more (docs/performance.md#postgresqls-trigram-indexes-a-64-kb-pending-list).
/// </summary>
[Migration(2026112507, "Bound search index pending lists")]
public sealed class BoundSearchIndexPendingLists : Migration
{
    // 64 kB is PostgreSQL's smallest allowed limit. Changing it takes only a SHARE UPDATE EXCLUSIVE lock, so running
    // instances keep reading and signing up. gin_clean_pending_list merges what is pending now, in this migration,
    // rather than in the transaction of whichever signup comes next.
    public override void Up() =>
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            ALTER INDEX ix_users_username_trgm SET (gin_pending_list_limit = 64);
            ALTER INDEX ix_users_email_trgm SET (gin_pending_list_limit = 64);
            SELECT gin_clean_pending_list('ix_users_username_trgm'), gin_clean_pending_list('ix_users_email_trgm');
            """);

    public override void Down() =>
        IfDatabase(EngineFamily.Of("Postgres")).Execute.Sql("""
            ALTER INDEX ix_users_username_trgm RESET (gin_pending_list_limit);
            ALTER INDEX ix_users_email_trgm RESET (gin_pending_list_limit);
            """);
}
