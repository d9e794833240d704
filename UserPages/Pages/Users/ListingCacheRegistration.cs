using Microsoft.AspNetCore.OutputCaching;

namespace UserPages.Pages.Users;

/// <summary>The listing's kept pages: <see cref="ListingCachePolicy"/> decides, <see cref="ListingCacheStore"/> keeps.</summary>
public static class ListingCacheRegistration
{
    public static IServiceCollection AddListingCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ListingCacheOptions>()
            .Bind(configuration.GetSection(ListingCacheOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<ListingSnapshot>();
        services.AddSingleton<ListingCacheStore>();
        services.AddSingleton<IOutputCacheStore>(provider => provider.GetRequiredService<ListingCacheStore>());
        services.AddOutputCache(options =>
        {
            // Without the default policy, which would keep every GET: this one alone decides.
            options.AddPolicy(ListingCachePolicy.Name, builder => builder.AddPolicy<ListingCachePolicy>(), excludeDefaultPolicy: true);
            options.SizeLimit = long.MaxValue; // the store keeps to its own limit
        });
        return services;
    }
}
