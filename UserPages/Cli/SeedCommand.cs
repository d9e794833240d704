using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using UserPages.Data;

namespace UserPages.Cli;

/// <summary><c>seed --users N</c>: realistic fake users for demos and benchmarks, in one transaction.</summary>
internal static class SeedCommand
{
    private const int BatchSize = 20;

    public static Command Create(Option<bool> verbose)
    {
        var users = new Option<int>("--users") { Description = "How many users to add.", Required = true, CustomParser = CommandLine.WholeNumber<int> };
        users.Validators.Add(result =>
        {
            // A value that is not a number at all is the parser's own error; reading it here would throw.
            if (int.TryParse(result.Tokens.SingleOrDefault()?.Value, CultureInfo.InvariantCulture, out var count) && count is < 1 or > 10_000_000)
            {
                result.AddError("--users must be between 1 and 10000000.");
            }
        });
        var force = new Option<bool>("--force") { Description = "Allow seeding a Production database." };
        var seed = new Command("seed", "Fill the database with fake users.") { users, force };
        seed.SetAction((parse, ct) => CommandLine.GuardAsync("seed", parse.GetValue(verbose), app =>
            RunAsync(app, parse.GetValue(users), parse.GetValue(force), ct)));
        return seed;
    }

    private static async Task<int> RunAsync(WebApplication app, int count, bool force, CancellationToken cancellationToken)
    {
        if (app.Environment.IsProduction() && !force)
        {
            await Console.Error.WriteLineAsync("seed refused: this is a Production environment; pass --force to seed it anyway.");
            return 2;
        }

        var database = app.Services.GetRequiredService<Database>();
        var repository = app.Services.GetRequiredService<UserRepository>();
        var stopwatch = Stopwatch.StartNew();

        await using var unit = await database.BeginWriteAsync(cancellationToken);
        var newest = (await repository.ListAsync(unit, olderThan: null, newerThan: null, pageSize: 1, cancellationToken)).Users.SingleOrDefault();
        var fakes = new FakeUsers(firstNumber: (newest?.Id ?? 0) + 1, count, DateTime.UtcNow, newest?.CreatedAt);
        foreach (var batch in fakes.Generate().Chunk(BatchSize))
        {
            await repository.ImportAsync(unit, batch, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        Console.WriteLine($"Seeded {count} users in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }
}
