using Dapper;
using Npgsql;
using UserPages.Data;

namespace UserPages.Tests.Infrastructure;

/// <summary>What the sessions on a PostgreSQL test database carry: advisory locks, and the state a pooled session keeps.</summary>
public static class PostgresSessions
{
    // What a PostgreSQL session carries of its own, beyond what it was opened with: settings made by SET (but those the
    // unit's own BEGIN sets for its transaction), advisory locks, channels listened to; and the plan cache mode the app
    // opens its sessions with.
    private const string ReadPostgresSession = """
        SELECT pg_backend_pid() AS Pid,
               (SELECT string_agg(name, ', ') FROM pg_settings
                WHERE source = 'session' AND name NOT IN ('transaction_isolation', 'transaction_read_only', 'transaction_deferrable')) AS Settings,
               (SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS AdvisoryLocks,
               (SELECT string_agg(channel, ', ') FROM pg_listening_channels() AS channel) AS Channels,
               current_setting('plan_cache_mode') AS PlanCacheMode
        """;

    private const string CountPostgresAdvisoryLocks = """
        SELECT COUNT(*) FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    extension(TestDatabase db)
    {
        /// <summary>Advisory locks held by any session on this PostgreSQL database.</summary>
        public Task<long> CountAdvisoryLocksAsync() => db.ScalarAsync<long>(CountPostgresAdvisoryLocks);

        /// <summary>
        /// What each of this PostgreSQL database's pooled sessions carries: as many units of work as the pool holds at most,
        /// open all at once, so every session the pool kept is among them.
        /// </summary>
        public async Task<IReadOnlyList<PostgresSession>> ReadPooledSessionsAsync()
        {
            var units = new List<UnitOfWork>();
            try
            {
                for (var i = 0; i < new NpgsqlConnectionStringBuilder(db.Database.ConnectionString).MaxPoolSize; i++)
                {
                    units.Add(await db.Database.BeginReadAsync(TestContext.Current.CancellationToken));
                }

                var sessions = new List<PostgresSession>();
                foreach (var unit in units)
                {
                    sessions.Add(await unit.Connection.QuerySingleAsync<PostgresSession>(ReadPostgresSession, transaction: unit.Transaction));
                }

                return sessions;
            }
            finally
            {
                foreach (var unit in units)
                {
                    await unit.DisposeAsync();
                }
            }
        }
    }
}

/// <summary>What a PostgreSQL session carries of its own (see <see cref="PostgresSessions"/>).</summary>
/// <param name="Settings">The settings made by SET, comma-separated; null when there are none.</param>
/// <param name="Channels">The channels listened to, comma-separated; null when there are none.</param>
public sealed record PostgresSession(int Pid, string? Settings, long AdvisoryLocks, string? Channels, string PlanCacheMode);
