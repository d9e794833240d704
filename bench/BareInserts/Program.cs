using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

// The limit a signup is measured against: single-row inserts, each its own durable transaction (WAL,
// synchronous=FULL), on one connection, with no HTTP and no app in the way.
// Usage: BareInserts <database file> <seconds>; prints "inserts/s".
if (args is not [var path, var secondsText] || !double.TryParse(secondsText, CultureInfo.InvariantCulture, out var seconds))
{
    Console.Error.WriteLine("usage: BareInserts <database file> <seconds>");
    return 2;
}

using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
connection.Open();
using (var setup = connection.CreateCommand())
{
    setup.CommandText = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY, username TEXT NOT NULL, email TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
        """;
    setup.ExecuteNonQuery();
}

using var insert = connection.CreateCommand();
insert.CommandText = "INSERT INTO users (username, email) VALUES ($username, $email)";
var username = insert.Parameters.Add("$username", SqliteType.Text);
var email = insert.Parameters.Add("$email", SqliteType.Text);
insert.Prepare();

var count = 0;
var stopwatch = Stopwatch.StartNew();
var duration = TimeSpan.FromSeconds(seconds);
while (stopwatch.Elapsed < duration)
{
    username.Value = string.Create(CultureInfo.InvariantCulture, $"bare{count}");
    email.Value = string.Create(CultureInfo.InvariantCulture, $"bare{count}@bench.example");
    insert.ExecuteNonQuery();
    count++;
}

Console.WriteLine((count / stopwatch.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture));
return 0;
