using System.CommandLine;
using UserPages.Schema;

namespace UserPages.Cli;

/// <summary><c>migrate [up|status|down --to V|script]</c>: the schema at deploy time.</summary>
internal static class MigrateCommands
{
    public static Command Create(Option<bool> verbose)
    {
        var up = new Command("up", "Apply every pending migration (the default).");
        up.SetAction((parse, ct) => Run(parse, verbose, "migrate", (migrator, _) => UpAsync(migrator, ct)));

        var status = new Command("status", "Show the current version and the applied and pending migrations.");
        status.SetAction((parse, _) => Run(parse, verbose, "migrate status", (migrator, _) => StatusAsync(migrator)));

        var to = new Option<long>("--to") { Description = "The version to roll back to (0 removes every migration).", Required = true, CustomParser = CommandLine.WholeNumber<long> };
        var down = new Command("down", "Roll back to an earlier version.") { to };
        down.SetAction((parse, ct) => Run(parse, verbose, "migrate down", (migrator, p) => DownAsync(migrator, p.GetValue(to), ct)));

        var script = new Command("script", "Print the SQL the pending migrations would run, changing nothing.");
        script.SetAction((parse, _) => Run(parse, verbose, "migrate script", async (migrator, _) =>
        {
            await migrator.ScriptAsync(Console.Out);
            return 0;
        }));

        var migrate = new Command("migrate", "Deploy-time schema migrations.") { up, status, down, script };
        migrate.SetAction((parse, ct) => Run(parse, verbose, "migrate", (migrator, _) => UpAsync(migrator, ct)));
        return migrate;
    }

    private static Task<int> Run(ParseResult parse, Option<bool> verbose, string name, Func<SchemaMigrator, ParseResult, Task<int>> body) =>
        CommandLine.GuardAsync(name, parse.GetValue(verbose), app => body(app.Services.GetRequiredService<SchemaMigrator>(), parse));

    private static async Task<int> UpAsync(SchemaMigrator migrator, CancellationToken cancellationToken)
    {
        var run = await migrator.UpAsync(cancellationToken);
        foreach (var migration in run.Migrations)
        {
            Console.WriteLine($"Applied {migration}");
        }

        Console.WriteLine(run.Migrations.Count == 0 ? $"Schema is up to date at version {run.Version}." : $"Schema is at version {run.Version}.");
        return 0;
    }

    private static async Task<int> StatusAsync(SchemaMigrator migrator)
    {
        var status = await migrator.StatusAsync();
        Console.WriteLine($"Current version: {status.CurrentVersion}");
        Print("Applied", status.Applied);
        Print("Pending", status.Pending);
        return 0;

        static void Print(string heading, IReadOnlyList<MigrationEntry> migrations)
        {
            Console.WriteLine($"{heading}:");
            foreach (var migration in migrations)
            {
                Console.WriteLine($"  {migration}");
            }

            if (migrations.Count == 0)
            {
                Console.WriteLine("  (none)");
            }
        }
    }

    private static async Task<int> DownAsync(SchemaMigrator migrator, long version, CancellationToken cancellationToken)
    {
        var run = await migrator.DownAsync(version, cancellationToken);
        foreach (var migration in run.Migrations)
        {
            Console.WriteLine($"Rolled back {migration}");
        }

        Console.WriteLine($"Schema is at version {run.Version}.");
        return 0;
    }
}
