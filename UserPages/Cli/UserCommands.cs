using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using UserPages.Data;
using UserPages.Pages.Users;

namespace UserPages.Cli;

/// <summary>
/// <c>users find</c>, <c>users remove</c> and <c>users export</c>: an operator acts on one entry at a time through the
/// app's own code, never with SQL by hand. No command lists everyone. Nothing found exits with 1 and one line on
/// stderr, as every other failure does: a script acting on an entry stops there either way.
/// </summary>
internal static class UserCommands
{
    private const int ReasonMaxLength = 200;

    public static Command Create(Option<bool> verbose) =>
        new("users", "One entry at a time, for abuse reports and data requests. No command lists everyone.")
        {
            Find(verbose),
            Remove(verbose),
            Export(verbose),
        };

    private static Command Find(Option<bool> verbose)
    {
        var email = EmailOption("The entry's email address.");
        var username = new Option<string>("--username") { Description = "The entry's username, in any letter case." };
        var find = new Command("find", "Show the entry, listed or pending, with this email or username: its id, state and times.") { email, username };
        OneOf(find, email, username);
        find.SetAction((parse, ct) => CommandLine.GuardAsync("users find", parse.GetValue(verbose), app =>
            FindAsync(app, Tidy(parse.GetValue(email)), TidyName(parse.GetValue(username)), ct)));
        return find;
    }

    private static Command Remove(Option<bool> verbose)
    {
        var id = IdOption("The listed entry's id, as 'users find' shows it.");
        var email = EmailOption("The entry's email address; the only way to name a pending signup.");
        var reason = new Option<string>("--reason") { Description = "Why, for the log (an erasure request, an abuse report's ticket). Never an email address.", Required = true };
        reason.Validators.Add(result =>
        {
            if (ReasonProblem(result.Tokens.SingleOrDefault()?.Value ?? "") is { } problem)
            {
                result.AddError(problem);
            }
        });
        var noMail = new Option<bool>("--no-mail") { Description = "Send no goodbye mail (an abuse removal). By default a listed entry's address is told, as after a self-delete." };
        var remove = new Command("remove", "Remove an entry as a self-delete does: listing, search and total exact at once, queued mail withdrawn, a goodbye mailed. Pending signups by --email.")
        {
            id, email, reason, noMail,
        };
        OneOf(remove, id, email);
        remove.SetAction((parse, ct) => CommandLine.GuardAsync("users remove", parse.GetValue(verbose), app =>
            RemoveAsync(app, parse.GetValue(id), Tidy(parse.GetValue(email)), parse.GetValue(reason)!.Trim(), !parse.GetValue(noMail), ct)));
        return remove;
    }

    private static Command Export(Option<bool> verbose)
    {
        var id = IdOption("The listed entry's id, as 'users find' shows it.");
        var email = EmailOption("The listed entry's email address.");
        var to = new Option<FileInfo>("--to") { Description = "Write the JSON to this file (readable by its owner only) instead of standard output." };
        var force = new Option<bool>("--force") { Description = "Replace the --to file if it exists." };
        var export = new Command("export", "Write everything stored about a listed entry, the same JSON as the person's own download.") { id, email, to, force };
        OneOf(export, id, email);
        export.SetAction((parse, ct) => CommandLine.GuardAsync("users export", parse.GetValue(verbose), app =>
            ExportAsync(app, parse.GetValue(id), Tidy(parse.GetValue(email)), parse.GetValue(to), parse.GetValue(force), ct)));
        return export;
    }

    private static async Task<int> FindAsync(WebApplication app, string? email, string? username, CancellationToken cancellationToken)
    {
        var users = app.Services.GetRequiredService<UserRepository>();
        var pending = app.Services.GetRequiredService<PendingSignupRepository>();
        await using var unit = await app.Services.GetRequiredService<Database>().BeginReadAsync(cancellationToken);
        var listed = email is not null ? await users.GetByEmailAsync(unit, email, cancellationToken) : await users.GetByUsernameAsync(unit, username!, cancellationToken);
        var signup = email is not null ? await pending.GetByEmailAsync(unit, email, cancellationToken) : await pending.GetByUsernameAsync(unit, username!, cancellationToken);
        if (listed is null && signup is null)
        {
            return await NothingAsync("users find", email is not null ? "no entry, listed or pending, has that email" : "no entry, listed or pending, has that username");
        }

        if (listed is not null)
        {
            Console.WriteLine($"id:        {listed.Id}");
            Console.WriteLine($"state:     {(listed.ConfirmedAt is null ? "listed (made without confirmation)" : "listed (confirmed)")}");
            Console.WriteLine($"username:  {listed.Username}");
            Console.WriteLine($"email:     {listed.Email}");
            Console.WriteLine($"created:   {Utc(listed.CreatedAt)}");
            Console.WriteLine($"confirmed: {(listed.ConfirmedAt is { } at ? Utc(at) : "-")}");
        }

        if (signup is not null)
        {
            if (listed is not null)
            {
                Console.WriteLine();
            }

            // A pending signup's id is another table's: shown as a users id, it would name someone else to 'remove --id'.
            Console.WriteLine("id:        none yet (remove it with --email)");
            Console.WriteLine("state:     pending (not listed until its address confirms)");
            Console.WriteLine($"username:  {signup.Username}");
            Console.WriteLine($"email:     {signup.Email}");
            Console.WriteLine($"created:   {Utc(signup.CreatedAt)}");
            Console.WriteLine($"expires:   {Utc(signup.ExpiresAt)}");
        }

        return 0;
    }

    private static async Task<int> RemoveAsync(WebApplication app, long id, string? email, string reason, bool goodbye, CancellationToken cancellationToken)
    {
        var removal = app.Services.GetRequiredService<EntryRemoval>();
        if (email is not null)
        {
            var (listed, signup) = await ByEmailAsync(app, email, cancellationToken);
            if (listed is null && signup is not null)
            {
                if (!await removal.RemovePendingForOperatorAsync(signup, reason, cancellationToken))
                {
                    return await NothingAsync("users remove", "no entry, listed or pending, has that email");
                }

                Console.WriteLine("Removed the pending signup with that email; its confirmation mail was withdrawn. No goodbye is mailed to an unproven address.");
                return 0;
            }

            if (listed is null)
            {
                return await NothingAsync("users remove", "no entry, listed or pending, has that email");
            }

            id = listed.Id;
        }

        switch (await removal.RemoveForOperatorAsync(id, reason, goodbye, cancellationToken))
        {
            case { Outcome: EntryChange.Saved }:
                Console.WriteLine($"Removed entry {id}; its links and queued mail are gone{(goodbye ? ", and a goodbye is mailed" : ", and no mail is sent")}.");
                return 0;
            case { Outcome: EntryChange.Conflict }:
                await Console.Error.WriteLineAsync($"users remove failed: entry {id} changed while it was being removed; nothing was removed. Run the command again.");
                return 1;
            default:
                return await NothingAsync("users remove", $"no listed entry has id {id}");
        }
    }

    private static async Task<int> ExportAsync(WebApplication app, long id, string? email, FileInfo? to, bool force, CancellationToken cancellationToken)
    {
        if (email is not null)
        {
            switch (await ByEmailAsync(app, email, cancellationToken))
            {
                case ({ } listed, _):
                    id = listed.Id;
                    break;
                case (null, not null):
                    await Console.Error.WriteLineAsync("users export failed: that email has only a pending signup, whose username, email and times 'users find' shows; it has no download.");
                    return 1;
                default:
                    return await NothingAsync("users export", "no entry, listed or pending, has that email");
            }
        }

        if (await app.Services.GetRequiredService<PersonalDataExport>().ReadAsync(id, cancellationToken) is not { } data)
        {
            return await NothingAsync("users export", $"no listed entry has id {id}");
        }

        var json = PersonalData.ToJson(data);
        if (to is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(json, cancellationToken);
            return 0;
        }

        var options = new FileStreamOptions { Mode = force ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using var file = new FileStream(to.FullName, options);
            await file.WriteAsync(json, cancellationToken);
        }
        catch (IOException) when (!force && File.Exists(to.FullName))
        {
            await Console.Error.WriteLineAsync($"users export refused: {to.FullName} exists; pass --force to replace it.");
            return CommandLine.UsageError;
        }

        Console.WriteLine($"Wrote entry {id}'s data to {to.FullName}.");
        return 0;
    }

    private static async Task<(User? Listed, PendingSignup? Pending)> ByEmailAsync(WebApplication app, string email, CancellationToken cancellationToken)
    {
        await using var unit = await app.Services.GetRequiredService<Database>().BeginReadAsync(cancellationToken);
        return (await app.Services.GetRequiredService<UserRepository>().GetByEmailAsync(unit, email, cancellationToken),
            await app.Services.GetRequiredService<PendingSignupRepository>().GetByEmailAsync(unit, email, cancellationToken));
    }

    // Not found is the command's one line on stderr and exit code 1; the address itself is not repeated.
    private static async Task<int> NothingAsync(string command, string what)
    {
        await Console.Error.WriteLineAsync($"{command}: {what}.");
        return 1;
    }

    private static string? ReasonProblem(string text) => text switch
    {
        _ when string.IsNullOrWhiteSpace(text) => "--reason needs some text.",
        { Length: > ReasonMaxLength } => $"--reason takes at most {ReasonMaxLength} characters.",
        _ when text.Any(char.IsControl) => "--reason must be one line.",
        _ when text.Contains('@', StringComparison.Ordinal) => "--reason goes into the log, which never keeps an email address: name the ticket instead.",
        _ => null,
    };

    private static Option<long> IdOption(string description)
    {
        var id = new Option<long>("--id") { Description = description, CustomParser = CommandLine.WholeNumber<long> };
        id.Validators.Add(result =>
        {
            if (long.TryParse(result.Tokens.SingleOrDefault()?.Value, CultureInfo.InvariantCulture, out var value) && value < 1)
            {
                result.AddError("--id must be 1 or more.");
            }
        });
        return id;
    }

    private static Option<string> EmailOption(string description)
    {
        var email = new Option<string>("--email") { Description = description };
        email.Validators.Add(result =>
        {
            if (!(result.Tokens.SingleOrDefault()?.Value ?? "").Contains('@', StringComparison.Ordinal))
            {
                result.AddError("--email takes an email address.");
            }
        });
        return email;
    }

    // Exactly one way of naming the entry: two could name two different people.
    private static void OneOf(Command command, Option first, Option second) => command.Validators.Add(result =>
    {
        var given = (result.GetResult(first) is not null ? 1 : 0) + (result.GetResult(second) is not null ? 1 : 0);
        if (given != 1)
        {
            result.AddError(given == 0 ? $"name the entry with {first.Name} or {second.Name}." : $"name the entry with {first.Name} or {second.Name}, not both.");
        }
    });

    // As the signup form tidies them before storing.
    private static string? Tidy(string? email) => TidyName(email)?.ToLowerInvariant();

    private static string? TidyName(string? text) => text is null ? null : InputText.TrimSpaces(text.Normalize(NormalizationForm.FormKC));

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
