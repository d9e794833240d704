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
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }

    // IXmlRepository is synchronous. The key ring is read once at start-up and then about once a day, and a key is
    // written every 90 days, so blocking on the open here is rare and short.
    private System.Data.Common.DbConnection Open() => database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
}
