using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UserPages.Telemetry;

namespace UserPages.Data;

/// <summary>The data layer's services, shared by the web app and the command line.</summary>
public static class DataRegistration
{
    /// <param name="contentRoot">What a relative SQLite file name is relative to.</param>
    public static IServiceCollection AddUserPagesData(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(options => options.ConnectionString =
                configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? options.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(provider => new Database(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value, contentRoot));
        services.AddSingleton<UserRepository>();
        services.AddSingleton<UserSearch>();
        services.AddSingleton<DataProtectionKeyRepository>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<PendingSignupRepository>();
        services.AddSingleton<EntryTokenRepository>();
        services.AddSingleton<MailThrottle>();
        services.AddMetrics().AddSingleton<UserPagesMetrics>();
        return services;
    }
}
