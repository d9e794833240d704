using Dapper;
using Microsoft.Data.Sqlite;
using UserPages.Data;

namespace UserPages.Cli;

/// <summary>
/// An online backup of the SQLite database: SQLite's backup API copies one consistent snapshot (a read transaction,
/// which under WAL never blocks the app's writers) into a file beside the target, the copy is checked, and only then
/// renamed into place, so the target is either the whole verified copy or untouched.
/// </summary>
internal static class SqliteBackup
{
    private const string IntegrityCheck = "PRAGMA integrity_check";

    // The copy is committed durably before it is renamed into place.
    private const string Durable = "PRAGMA synchronous = FULL";

    /// <param name="replace">Whether an existing <paramref name="file"/> may be replaced.</param>
    public static async Task CopyAsync(Database database, string file, bool replace, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            throw new NotSupportedException("Only the embedded SQLite database is backed up by the app.");
        }

        var partial = $"{file}.partial-{Guid.NewGuid():N}";
        try
        {
            await using (var source = (SqliteConnection)await database.OpenAsync(cancellationToken))
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await copy.OpenAsync(cancellationToken);
                await copy.ExecuteAsync(new CommandDefinition(Durable, cancellationToken: cancellationToken));
                source.BackupDatabase(copy);
                var integrity = await copy.QueryFirstAsync<string>(new CommandDefinition(IntegrityCheck, cancellationToken: cancellationToken));
                if (integrity != "ok")
                {
                    throw new InvalidDataException($"The copy failed its integrity check: {integrity}");
                }
            }

            File.Move(partial, file, overwrite: replace);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
