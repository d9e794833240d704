using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using UserPages.Data;

namespace UserPages.Cli;

/// <summary><c>backup --to FILE [--force]</c>: a consistent copy of the SQLite database, taken while the app serves.</summary>
internal static class BackupCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var to = new Option<FileInfo>("--to") { Description = "The file to write the copy to.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var backup = new Command("backup", "Copy the SQLite database to a file while the app keeps serving.") { to, force };
        backup.SetAction((parse, ct) => CommandLine.GuardAsync("backup", parse.GetValue(verbose), app =>
            RunAsync(app, parse.GetValue(to)!, parse.GetValue(force), ct)));
        return backup;
    }

    private static async Task<int> RunAsync(WebApplication app, FileInfo target, bool force, CancellationToken cancellationToken)
    {
        // The engine from the settings alone: a server's connection string is not even parsed to say no.
        var refusal = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider switch
        {
            DatabaseProvider.Postgres => "the database is PostgreSQL: back it up with pg_dump (see docs/operations.md).",
            DatabaseProvider.MySql => "the database is MariaDB/MySQL: back it up with mariadb-dump (see docs/operations.md).",
            _ when target.Exists && !force => $"{target.FullName} exists; pass --force to replace it.",
            _ => null,
        };
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync($"backup refused: {refusal}");
            return 2;
        }

        var stopwatch = Stopwatch.StartNew();
        await SqliteBackup.CopyAsync(app.Services.GetRequiredService<Database>(), target.FullName, replace: force, cancellationToken);

        var copy = new Database(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={target.FullName}" });
        await using var unit = await copy.BeginReadAsync(cancellationToken);
        var users = await app.Services.GetRequiredService<UserRepository>().CountAsync(unit, cancellationToken);
        Console.WriteLine($"Backed up {users} {(users == 1 ? "user" : "users")} to {target.FullName} ({new FileInfo(target.FullName).Length / 1024.0 / 1024.0:0.0} MiB) in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }
}
