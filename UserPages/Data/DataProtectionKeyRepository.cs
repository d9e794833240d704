using Dapper;

namespace UserPages.Data;

/// <summary>
/// The <c>data_protection_keys</c> table: the key ring every app instance shares, as the XML documents ASP.NET Core
/// Data Protection writes (see Hosting/SharedDataProtection).
/// </summary>
public sealed class DataProtectionKeyRepository
{
    public const string SelectKeys = """
        SELECT xml FROM data_protection_keys ORDER BY id
        """;

    public const string InsertKey = """
        INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml)
        """;

    /// <summary>Every key document, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ReadAllAsync(UnitOfWork unit, CancellationToken cancellationToken) =>
        (await unit.Connection.QueryAsync<string>(new CommandDefinition(SelectKeys, transaction: unit.Transaction, cancellationToken: cancellationToken))).AsList();

    public Task AddAsync(UnitOfWork unit, string friendlyName, string xml, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(
            InsertKey, new { FriendlyName = friendlyName, Xml = xml }, unit.Transaction, cancellationToken: cancellationToken));
}
