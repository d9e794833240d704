using Microsoft.Extensions.Options;

namespace UserPages.Hosting;

/// <summary>
/// Links in mail carry their tokens in the query string, and ASP.NET Core's hosting logs every request's URL, query
/// included ("Request starting …", "Request finished …"). Those two lines are never written, at any configured level,
/// for any logger: a token must never reach a log. Requests are still traced (query values redacted) and measured.
/// </summary>
public static class TokensOutOfLogs
{
    public const string RequestLineCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static ILoggingBuilder KeepTokensOutOfLogs(this ILoggingBuilder logging)
    {
        // After the configuration's own rules, and again whenever it reloads. A rule for one provider outranks a rule
        // for all, so each provider that has rules of its own gets this one too; a later rule of the same category wins.
        logging.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, CapRequestLines>();
        return logging;
    }

    private sealed class CapRequestLines : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            var providers = options.Rules.Select(rule => rule.ProviderName).Append(null).Distinct().ToList();
            foreach (var provider in providers)
            {
                options.Rules.Add(new LoggerFilterRule(provider, RequestLineCategory, LogLevel.Warning, filter: null));
            }
        }
    }
}
