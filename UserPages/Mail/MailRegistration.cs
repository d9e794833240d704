using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using UserPages.Data;

namespace UserPages.Mail;

/// <summary>The outbox sender and its delivery: SMTP when <c>Mail:Smtp:Host</c> is set, the pickup folder otherwise.</summary>
public static class MailRegistration
{
    /// <param name="contentRoot">What a relative pickup folder is relative to.</param>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddPublicLinks(configuration);
        services.AddSingleton<IMailDelivery>(provider =>
        {
            var mail = provider.GetRequiredService<IOptions<MailOptions>>();
            return mail.Value.UsesSmtp
                ? new SmtpDelivery(mail)
                : new PickupFolderDelivery(PickupFolder(mail.Value, provider.GetRequiredService<Database>(), contentRoot));
        });
        services.AddSingleton<OutboxSender>().AddHostedService(provider => provider.GetRequiredService<OutboxSender>());
        return services;
    }

    /// <summary><c>App:*</c> and the links in mail built from it, without the sender: what queueing a mail needs.</summary>
    public static IServiceCollection AddPublicLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppOptions>()
            .Bind(configuration.GetSection(AppOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddSingleton<PublicLinks>();
    }

    /// <summary>Declares that <paramref name="feature"/> puts links in mail (see <see cref="LinksInMail"/>).</summary>
    public static IServiceCollection AddLinksInMail(this IServiceCollection services, string feature) =>
        services.AddSingleton(new LinksInMail(feature));

    // App_Data/mail/ beside the SQLite file, so the mail of a database stays with it; under the content root otherwise.
    private static string PickupFolder(MailOptions mail, Database database, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(mail.PickupFolder))
        {
            return Path.GetFullPath(Path.Combine(contentRoot, mail.PickupFolder));
        }

        var file = database.Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(database.ConnectionString).DataSource : "";
        return Path.IsPathRooted(file)
            ? Path.Combine(Path.GetDirectoryName(file)!, "mail")
            : Path.Combine(contentRoot, "App_Data", "mail");
    }
}
