using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using UserPages.Data;

namespace UserPages.Hosting;

/// <summary>
/// Data Protection for several app instances on one database: one key ring, kept in the database, and one application
/// name, so every instance encrypts and decrypts antiforgery tokens and TempData cookies with the same keys and a form
/// served by one instance posts to another.
/// </summary>
public static class SharedDataProtection
{
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        // The application name isolates key use; by default it is the content root, which differs between instances
        // deployed to different folders, so it is fixed here.
        services.AddDataProtection().SetApplicationName("UserPages");
        services.AddOptions<KeyManagementOptions>()
            .Configure<Database, DataProtectionKeyRepository>((options, database, keys) => options.XmlRepository = new DatabaseKeyRing(database, keys));
        return services;
    }

    /// <summary>The key ring as Data Protection reads and writes it, through units of work like every other query.</summary>
    private sealed class DatabaseKeyRing(Database database, DataProtectionKeyRepository keys) : IXmlRepository
    {
        // IXmlRepository is synchronous. The key ring is read once at start-up and then about once a day, and a key is
        // written every 90 days, so blocking on these units of work is rare and short.
        public IReadOnlyCollection<XElement> GetAllElements() => ReadAllAsync().GetAwaiter().GetResult();

        public void StoreElement(XElement element, string friendlyName) => StoreAsync(element, friendlyName).GetAwaiter().GetResult();

        private async Task<IReadOnlyCollection<XElement>> ReadAllAsync()
        {
            await using var unit = await database.BeginReadAsync(CancellationToken.None);
            return (await keys.ReadAllAsync(unit, CancellationToken.None)).Select(XElement.Parse).ToList();
        }

        private async Task StoreAsync(XElement element, string friendlyName)
        {
            await using var unit = await database.BeginWriteAsync(CancellationToken.None);
            await keys.AddAsync(unit, friendlyName, element.ToString(SaveOptions.DisableFormatting), CancellationToken.None);
            await unit.CommitAsync(CancellationToken.None);
        }
    }
}
