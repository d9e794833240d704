using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace UserPages.Data;

/// <summary>
/// Keeps the ASP.NET Core Data Protection key ring in the database, so every app instance encrypts and decrypts
/// antiforgery tokens and TempData cookies with the same keys: a form served by one instance posts to another.
/// </summary>
public sealed class DataProtectionKeyRepository(Database database) : IXmlRepository
{
    // IXmlRepository is synchronous. The key ring is read once at start-up and then about once a day, and a key is
    // written every 90 days, so blocking on these units of work is rare and short.
    public IReadOnlyCollection<XElement> GetAllElements() => ReadAllAsync().GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> ReadAllAsync()
    {
        await using var unit = await database.BeginReadAsync(CancellationToken.None);
        var keys = await unit.Connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY id", transaction: unit.Transaction);
        return keys.Select(XElement.Parse).ToList();
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await using var unit = await database.BeginWriteAsync(CancellationToken.None);
        await unit.Connection.ExecuteAsync(
            "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) },
            unit.Transaction);
        await unit.CommitAsync(CancellationToken.None);
    }
}
