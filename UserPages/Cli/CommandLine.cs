using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging.Console;
using UserPages.Data;
using UserPages.Mail;
using UserPages.Pages.Users;
using UserPages.Schema;

namespace UserPages.Cli;

/// <summary>
/// The app is also its own operations tool: <c>migrate</c>, <c>seed</c>, <c>backup</c>, <c>mail</c> and <c>users</c> run against the same
/// configuration as the web app (appsettings, environment variables) and exit instead of serving. With no arguments,
/// or with ASP.NET Core's own configuration switches only, the app serves.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code of a command line that was not understood; a command that fails exits with 1.</summary>
    public const int UsageError = 2;

    private const string Name = "UserPages";

    private static readonly string[] HelpSwitches = ["--help", "-h", "-?", "/?", "/h", "--version"];

    /// <summary>
    /// Whether the arguments are for the web server: none, or only the host's configuration switches as ASP.NET Core
    /// reads them (<c>--urls http://…</c>, <c>--environment=Production</c>, <c>--Section:Key value</c>). Anything
    /// else goes to the command line, which runs a command or says what it did not understand.
    /// </summary>
    public static bool IsServe(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2 || HelpSwitches.Contains(arg, StringComparer.Ordinal))
            {
                return false;
            }

            // --key=value, or --key followed by its value; a switch without one would be silently ignored.
            if (!arg.Contains('=', StringComparison.Ordinal) && (++i == args.Length || args[i].StartsWith('-')))
            {
                return false;
            }
        }

        return true;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Print the full exception on failure.", Recursive = true };
        var root = new RootCommand("UserPages. With no arguments (or only ASP.NET Core switches such as --urls and --environment) it serves the web app; these commands run operations and exit.")
        {
            MigrateCommands.Create(verbose),
            SeedCommand.Create(verbose),
            BackupCommand.Create(verbose),
            MailCommands.Create(verbose),
            UserCommands.Create(verbose),
        };
        root.Subcommands.Add(HelpCommand(root));
        root.Options.Add(verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync(Refusal(parse));
            return UsageError;
        }

        return await parse.InvokeAsync();
    }

    /// <summary>
    /// Reads an option's whole number, refusing anything else in words (<c>--users takes a whole number, not 'abc'.</c>)
    /// rather than with System.CommandLine's "as expected type 'System.Int32'".
    /// </summary>
    internal static T WholeNumber<T>(ArgumentResult result)
        where T : struct, IBinaryInteger<T>
    {
        var text = result.Tokens is [var token] ? token.Value : "";
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        var option = result.Parent is OptionResult { Option.Name: var name } ? name : result.Argument.Name;
        result.AddError(BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"{option} {text} is out of range."
            : $"{option} takes a whole number, not '{text}'.");
        return default;
    }

    // `help [command…]` is `[command…] --help`, for those who type it the way git and dotnet take it.
    private static Command HelpCommand(RootCommand root)
    {
        var topic = new Argument<string[]>("command") { Description = "The command to describe, such as migrate or migrate down.", Arity = ArgumentArity.ZeroOrMore };
        // Checked here: after --help, System.CommandLine ignores what it does not know and shows the nearest help.
        topic.Validators.Add(result =>
        {
            Command command = root;
            foreach (var name in result.Tokens.Select(token => token.Value))
            {
                if (command.Subcommands.FirstOrDefault(subcommand => subcommand.Name == name) is not { } next)
                {
                    result.AddError(Nearest(name, command.Subcommands.Select(subcommand => subcommand.Name)) is { } suggestion
                        ? $"unknown command '{name}'; did you mean '{suggestion}'?"
                        : $"unknown command '{name}'.");
                    return;
                }

                command = next;
            }
        });
        var help = new Command("help", "Show help for the app or a command, as --help does.") { topic };
        help.SetAction((parse, _) => RunAsync([.. parse.GetValue(topic) ?? [], "--help"]));
        return help;
    }

    // One line: what was not understood, the nearest name when there is one, and where the help is.
    private static string Refusal(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = string.Join(' ', Path(parse.CommandResult).Reverse());
        var help = $"See '{path} --help'.";
        if (parse.UnmatchedTokens is not [var token, ..])
        {
            return $"{path}: {parse.Errors[0].Message} {help}";
        }

        var candidates = token.StartsWith('-')
            ? command.Options.Concat(parse.RootCommandResult.Command.Options.Where(option => option.Recursive)).Select(option => option.Name)
            : command.Subcommands.Select(subcommand => subcommand.Name);
        var what = token.StartsWith('-') ? "option" : "command";
        return Nearest(token, candidates) is { } suggestion ? $"{path}: unknown {what} '{token}'; did you mean '{suggestion}'? {help}"
            // Perhaps meant for the web server, whose switches are settings and always take a value.
            : command is RootCommand && token.StartsWith("--", StringComparison.Ordinal) ? $"{path}: unknown option '{token}'; the web server's settings take a value ({token} VALUE). {help}"
            : $"{path}: unknown {what} '{token}'. {help}";

        static IEnumerable<string> Path(SymbolResult? result)
        {
            for (; result is not null; result = result.Parent)
            {
                if (result is CommandResult { Command: var step })
                {
                    yield return step is RootCommand ? Name : step.Name;
                }
            }
        }
    }

    // The closest name within a typo or two (a swap of neighbours counts as one), or null.
    private static string? Nearest(string token, IEnumerable<string> candidates) =>
        candidates
            .Select(candidate => (candidate, distance: Distance(token, candidate)))
            .Where(pair => pair.distance <= (pair.candidate.Length <= 4 ? 1 : 2))
            .OrderBy(pair => pair.distance)
            .Select(pair => pair.candidate)
            .FirstOrDefault();

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>
    /// Builds the app's services without serving anything. Configuration comes from appsettings and environment
    /// variables only: the command's own arguments are not configuration.
    /// </summary>
    internal static WebApplication BuildServices()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // What an operator changed is logged, in the app's log format, one line on stderr so stdout stays the command's
        // own (an export's JSON); nothing else a command does is logged.
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter<ConsoleLoggerProvider>(null, LogLevel.None)
            .AddFilter<ConsoleLoggerProvider>(typeof(EntryRemoval).FullName, LogLevel.Information);
        builder.Services.AddUserPagesData(builder.Configuration, builder.Environment.ContentRootPath).AddSchemaMigrator(builder.Configuration);
        // The users commands act through the pages' own services (EntryRemoval, PersonalDataExport); mail is only queued.
        builder.Services.AddPublicLinks(builder.Configuration).AddEntryActions(builder.Configuration);
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
