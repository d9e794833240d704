using UserPages.Mail;

namespace UserPages.Pages.Users;

/// <summary>Signup and everything an entry proven by mail needs: the writer, the mails, the sweep, <c>Signup:*</c>.</summary>
public static class SignupServices
{
    public static IServiceCollection AddSignup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignupOptions>()
            .Bind(configuration.GetSection(SignupOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SignupBotCheck>();
        services.AddSingleton<SignupRegistration>();
        services.AddSingleton<EntryMail>();
        services.AddSingleton<MailedLinks>();
        services.AddSingleton<SignupWriter>().AddHostedService(provider => provider.GetRequiredService<SignupWriter>());
        services.AddSingleton<ExpiredEntrySweeper>().AddHostedService(provider => provider.GetRequiredService<ExpiredEntrySweeper>());
        services.AddLinksInMail("Signup confirmation (Signup:RequireConfirmedEmail) and the manage links");
        return services;
    }
}
