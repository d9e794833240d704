using Dapper;
using UserPages.Data;

namespace UserPages.Schema;

/// <summary>The schema version the database is at, read without FluentMigrator (cheap enough for every health probe).</summary>
public static class SchemaVersion
{
    public const string ReadSqliteOrPostgres = """
        SELECT MAX("Version") FROM "VersionInfo"
        """;

    public const string ReadMySql = """
        SELECT MAX(`Version`) FROM `VersionInfo`
        """;

    /// <summary>The highest applied migration, 0 when none is.</summary>
    public static async Task<long> ReadAsync(DatabaseProvider provider, UnitOfWork unit, CancellationToken cancellationToken) =>
        await unit.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            provider == DatabaseProvider.MySql ? ReadMySql : ReadSqliteOrPostgres,
            transaction: unit.Transaction,
            cancellationToken: cancellationToken)) ?? 0;
}
