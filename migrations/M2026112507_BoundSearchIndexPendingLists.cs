using FluentMigrator;

namespace UserPages.Migrations;

/// <summary>
/// PostgreSQL only: caps the pending list of the two trigram search indexes at 64 kB instead of 4 MB, so a search
/// never scans thousands of unmerged signups. Measured at 100,000 users (docs/performance.md): a no-match search cost
/// the server ~5.8 ms of CPU with a full 4 MB list and ~0.4 ms with a 64 kB one, while a signup costs the same
/// (~210 µs); turning the list off instead (fastupdate = off) made each signup cost ~340 µs.
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
