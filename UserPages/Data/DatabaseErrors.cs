using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace UserPages.Data;

/// <summary>What an exception from the data layer means for the request that met it.</summary>
public enum DatabaseErrorKind
{
    /// <summary>Not the database's doing: a bug, to be answered 500 and logged.</summary>
    Other,

    /// <summary>
    /// The database server or the way to it failed (cannot connect, timed out, locked, disk full or failing, shutting
    /// down, read-only): the request may succeed when retried, so it is a 503 and an incident.
    /// </summary>
    Failure,

    /// <summary>
    /// The database refused a value the request carried (malformed, out of range, a search term the index cannot parse):
    /// the client's 400, never an incident. The validators refuse such values first; this is the defence behind them.
    /// </summary>
    RefusedValue,
}

/// <summary>Tells a database failure from a value the database refused, for every engine.</summary>
public static partial class DatabaseErrors
{
    // SQLite's primary result codes (sqlite3.h).
    internal const int SqliteError = 1;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMemory = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteInterrupt = 9;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    internal const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;
    private const int SqliteTooBig = 18;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;
    private const int SqliteNotADatabase = 26;
    private const int SqliteConstraint = 19;
    private const int SqliteUnique = 2067;
    private const int SqlitePrimaryKey = 1555;

    public static DatabaseErrorKind Classify(Exception? exception) =>
        IsFailure(exception) ? DatabaseErrorKind.Failure
        : IsRefusedValue(exception) ? DatabaseErrorKind.RefusedValue
        : DatabaseErrorKind.Other;

    private static bool IsFailure(Exception? exception) => exception switch
    {
        TimeoutException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteNoMemory or SqliteReadOnly
            or SqliteInterrupt or SqliteIoError or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteProtocol or SqliteNotADatabase,
        // SQLSTATE classes: 08 connection, 28 authorization, 3D no such database, 40 deadlock or serialization, 53
        // insufficient resources, 57 shutdown or cancelled, 58 I/O; 25006 a read-only standby; 55P03 a lock not granted
        // in time. And a statement prepared before a migration changed its columns ("cached plan must not change result
        // type"): the pool is cleared, so it is prepared afresh.
        PostgresException postgres => postgres.SqlState[..2] is "08" or "28" or "3D" or "40" or "53" or "57" or "58"
            || postgres.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.LockNotAvailable
            || postgres is { SqlState: PostgresErrorCodes.FeatureNotSupported, Routine: "RevalidateCachedQuery" },
        // Anything else Npgsql throws came from the connection itself (I/O, the pool), not from the server.
        NpgsqlException => true,
        // MySqlConnector lets a connection that breaks during BEGIN fail with the socket's own exception; the app's only
        // outgoing sockets are to the database.
        SocketException or MySqlEndOfStreamException => true,
        // Without a SQLSTATE, MySqlConnector speaks for the connection (I/O, the pool, a timeout), not for the server.
        MySqlException mySql => mySql.SqlState is null || mySql.IsTransient || mySql.ErrorCode is MySqlErrorCode.AccessDenied
            or MySqlErrorCode.UnknownDatabase or MySqlErrorCode.ServerShutdown or MySqlErrorCode.QueryInterrupted
            or MySqlErrorCode.OptionPreventsStatement or MySqlErrorCode.CannotExecuteInReadOnlyTransaction
            or MySqlErrorCode.DiskFull or MySqlErrorCode.RecordFileFull or MySqlErrorCode.ErrorOnWrite,
        _ => false,
    };

    private static bool IsRefusedValue(Exception? exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteTooBig or SqliteMismatch or SqliteRange
            // FTS5 reports a MATCH it cannot parse as a plain SQLITE_ERROR; its messages are its own.
            || (sqlite.SqliteErrorCode == SqliteError && (sqlite.Message.Contains("fts5:", StringComparison.Ordinal)
                || sqlite.Message.Contains("unterminated string", StringComparison.Ordinal))),
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal),
        MySqlException mySql => mySql.SqlState?.StartsWith("22", StringComparison.Ordinal) == true || mySql.ErrorCode
            is MySqlErrorCode.TruncatedWrongValueForField or MySqlErrorCode.InvalidCharacterString or MySqlErrorCode.DataTooLong
            or MySqlErrorCode.WarningDataOutOfRange or MySqlErrorCode.TruncatedWrongValue,
        _ => false,
    };

    /// <summary>The field a unique violation is about, from the constraint's name (never from the value, which is user input).</summary>
    public static UserField? TakenField(DbException exception)
    {
        var constraint = exception switch
        {
            // "UNIQUE constraint failed: users.email" or "... index 'ux_users_username_ci'".
            SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey } => exception.Message,
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres => postgres.ConstraintName,
            // "Duplicate entry 'value' for key 'name'".
            MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } => DuplicateKey().Match(exception.Message).Groups["key"].Value,
            _ => null,
        };
        return constraint switch
        {
            null => null,
            _ when constraint.Contains("username", StringComparison.OrdinalIgnoreCase) => UserField.Username,
            _ when constraint.Contains("email", StringComparison.OrdinalIgnoreCase) => UserField.Email,
            _ => null,
        };
    }

    [GeneratedRegex("for key '(?<key>[^']*)'$")]
    private static partial Regex DuplicateKey();
}
