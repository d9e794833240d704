using UserPages.Mail;

namespace UserPages.Pages.Users;

/// <summary>Signup and everything an entry proven by mail needs: the writer, the mails, the sweep, removal and export, <c>Signup:*</c>.</summary>
public static class SignupServices
{
    public static IServiceCollection AddSignup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEntryActions(configuration);
        services.AddSingleton<SignupBotCheck>();
        services.AddSingleton<SignupRegistration>();
        services.AddSingleton<MailedLinks>();
        services.AddSingleton<SignupWriter>().AddHostedService(provider => provider.GetRequiredService<SignupWriter>());
        services.AddSingleton<ExpiredEntrySweeper>().AddHostedService(provider => provider.GetRequiredService<ExpiredEntrySweeper>());
        services.AddLinksInMail("Signup confirmation (Signup:RequireConfirmedEmail) and the manage links");
        return services;
    }

    /// <summary>
    /// Acting on one entry (its mail, its removal, its export) without the background services: the web app has it
    /// through <see cref="AddSignup"/>, the <c>users</c> commands on their own.
    /// </summary>
    public static IServiceCollection AddEntryActions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignupOptions>()
            .Bind(configuration.GetSection(SignupOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<EntryMail>();
        services.AddSingleton<EntryRemoval>();
        services.AddSingleton<PersonalDataExport>();
        return services;
    }
}
