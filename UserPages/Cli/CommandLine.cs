using System.CommandLine;
using UserPages.Data;
using UserPages.Schema;

namespace UserPages.Cli;

/// <summary>
/// The app is also its own operations tool: <c>migrate</c> and <c>seed</c> run against the same configuration as the
/// web app (appsettings, environment variables) and exit instead of serving.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "seed"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Print the full exception on failure.", Recursive = true };
        var root = new RootCommand("UserPages operations: deploy-time migrations and demo data.")
        {
            MigrateCommands.Create(verbose),
            SeedCommand.Create(verbose),
        };
        root.Options.Add(verbose);
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>
    /// Builds the app's services without serving anything. Configuration comes from appsettings and environment
    /// variables only: the command's own arguments are not configuration.
    /// </summary>
    internal static WebApplication BuildServices()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddUserPagesData(builder.Configuration, builder.Environment.ContentRootPath).AddSchemaMigrator(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Runs a command body, turning any failure into one line on stderr and exit code 1.</summary>
    internal static async Task<int> GuardAsync(string command, bool verbose, Func<WebApplication, Task<int>> body)
    {
        try
        {
            await using var app = BuildServices();
            return await body(app);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var reason = string.Join(" ", exception.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (exception.InnerException is { } inner && !reason.Contains(inner.Message, StringComparison.Ordinal))
            {
                reason += " " + inner.Message.ReplaceLineEndings(" ");
            }

            await Console.Error.WriteLineAsync($"{command} failed: {reason}");
            if (verbose)
            {
                await Console.Error.WriteLineAsync(exception.ToString());
            }

            return 1;
        }
    }
}
