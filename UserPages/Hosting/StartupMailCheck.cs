using Microsoft.Extensions.Options;
using UserPages.Mail;

namespace UserPages.Hosting;

/// <summary>
/// At start-up: where mail goes, said once; in Production a warning when it goes to the pickup folder (nobody
/// receives it), and a refusal to start when a feature puts links in mail and <c>App:PublicBaseUrl</c> is not set.
/// </summary>
public static partial class StartupMailCheck
{
    public static bool EnsureConfigured(WebApplication app)
    {
        var mail = app.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupMailCheck));
        var delivery = app.Services.GetRequiredService<IMailDelivery>();
        if (delivery is PickupFolderDelivery pickup)
        {
            if (app.Environment.IsProduction())
            {
                LogNoSmtp(logger, pickup.Folder);
            }
            else
            {
                LogPickup(logger, pickup.Folder);
            }
        }
        else
        {
            LogSmtp(logger, mail.Smtp.Host!, mail.Smtp.PortOrDefault, mail.Smtp.Security);
        }

        var linking = app.Services.GetServices<LinksInMail>().FirstOrDefault();
        if (app.Environment.IsProduction() && linking is not null && app.Services.GetRequiredService<IOptions<AppOptions>>().Value.PublicBaseUrl is null)
        {
            LogNoPublicBaseUrl(logger, linking.Feature);
            return false;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail:Smtp:Host is not set: mail is written as .eml files to {Folder} and nobody receives it. Set Mail__Smtp__Host (docs/operations.md#mail).")]
    private static partial void LogNoSmtp(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail is written as .eml files to {Folder}.")]
    private static partial void LogPickup(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail is sent through {Host}:{Port} ({Security}).")]
    private static partial void LogSmtp(ILogger logger, string host, int port, SmtpSecurity security);

    [LoggerMessage(Level = LogLevel.Critical, Message = "App:PublicBaseUrl is not set, and {Feature} puts links in mail: set App__PublicBaseUrl to the address people reach the app at (https://…) before starting the app.")]
    private static partial void LogNoPublicBaseUrl(ILogger logger, string feature);
}
