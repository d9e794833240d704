using System.Data.Common;
using Dapper;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Tests.Infrastructure;

/// <summary>What a deploy does to a test database beside the app: a printed script run, the migration lock held, the schema changed.</summary>
public static class DeploySteps
{
    private const string CreateSchemaChange = "CREATE TABLE schema_change (id INTEGER)";

    private const string DropSchemaChange = "DROP TABLE schema_change";

    extension(TestDatabase db)
    {
        /// <summary>Runs SQL as an operator runs a printed script: in one go, on a database the engine has prepared.</summary>
        public async Task RunScriptAsync(string sql)
        {
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                await db.Migrator.CreateSqliteFileAsync(TestContext.Current.CancellationToken);
            }

            await using var connection = await db.Database.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        /// <summary>Takes the lock every <c>migrate</c> run takes, as another deploy job would; dispose to release it.</summary>
        public Task<IAsyncDisposable> HoldMigrationLockAsync() =>
            MigrationLock.AcquireAsync(db.Database, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        /// <summary>A connection of the test's own, open until disposed: a session to hold a lock on.</summary>
        public Task<DbConnection> OpenConnectionAsync() => db.Database.OpenAsync(TestContext.Current.CancellationToken);

        /// <summary>
        /// Commits a schema change from a connection of its own, leaving the schema as it was: what a deploy-time
        /// <c>migrate</c> beside running instances does to their connections.
        /// </summary>
        public async Task ChangeSchemaAsync()
        {
            await using var unit = await db.Database.BeginWriteAsync(TestContext.Current.CancellationToken);
            await unit.Connection.ExecuteAsync(CreateSchemaChange, transaction: unit.Transaction);
            await unit.Connection.ExecuteAsync(DropSchemaChange, transaction: unit.Transaction);
            await unit.CommitAsync(TestContext.Current.CancellationToken);
        }
    }
}
