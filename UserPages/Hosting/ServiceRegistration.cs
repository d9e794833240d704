using UserPages.Data;

namespace UserPages.Hosting;

/// <summary>The services the web app and the command line share: configuration, the database and its schema.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddUserPagesData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(options => options.ConnectionString =
                configuration.GetConnectionString(DatabaseOptions.ConnectionStringName) ?? options.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<Database>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<UserRepository>();
        return services;
    }
}
