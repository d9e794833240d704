using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using UserPages.Data;

namespace UserPages.Hosting;

/// <summary>Data Protection for several app instances on one database: one shared key ring, one application name.</summary>
public static class DataProtectionRegistration
{
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        // The application name isolates key use; by default it is the content root, which differs between instances
        // deployed to different folders, so it is fixed here.
        services.AddDataProtection().SetApplicationName("UserPages");
        services.AddOptions<KeyManagementOptions>()
            .Configure<Database>((options, database) => options.XmlRepository = new DataProtectionKeyRepository(database));
        return services;
    }
}
