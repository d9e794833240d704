namespace UserPages.Schema;

/// <summary>The migration runner, for the <c>migrate</c> command and the web app's start-up check.</summary>
public static class SchemaRegistration
{
    public static IServiceCollection AddSchemaMigrator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MigrationOptions>()
            .Bind(configuration.GetSection(MigrationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddSingleton<SchemaMigrator>();
    }
}
