using System.Data.Common;
using MySqlConnector;
using Npgsql;
using UserPages.Data;

namespace UserPages.Tests.Infrastructure;

/// <summary>The settings that point an app (in-process or a child process) at a test database, as tests vary them.</summary>
public static class TestDatabaseSettings
{
    extension(TestDatabase db)
    {
        /// <summary>The settings that point the app at this database.</summary>
        public IReadOnlyDictionary<string, string> Settings => SettingsFor(db.Provider, db.ConnectionString);

        /// <summary>
        /// The settings naming this database and nothing more: without the test servers' longer connect timeout, so the
        /// app's own pool size and timeouts apply, as shipped.
        /// </summary>
        public IReadOnlyDictionary<string, string> ShippedSettings => db.Provider switch
        {
            DatabaseProvider.Postgres => SettingsFor(db.Provider, Without(new NpgsqlConnectionStringBuilder(db.ConnectionString), "Timeout")),
            DatabaseProvider.MySql => SettingsFor(db.Provider, Without(new MySqlConnectionStringBuilder(db.ConnectionString), "Connection Timeout")),
            _ => db.Settings,
        };

        /// <summary>Settings naming a database of this engine that cannot be reached.</summary>
        public IReadOnlyDictionary<string, string> UnreachableSettings => db.Provider == DatabaseProvider.Sqlite
            ? SettingsFor(db.Provider, "Data Source=/proc/no-such-dir/users.db")
            : db.SettingsThroughPort(LocalServer.FreePort());

        /// <summary>The file of an SQLite database, alone in a directory of its own.</summary>
        public string SqliteFile => db.Provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource
            : throw new NotSupportedException("A server engine's database has no file of its own.");

        /// <summary>The loopback port of a server engine's database.</summary>
        public int ServerPort => db.Provider switch
        {
            DatabaseProvider.Postgres => new NpgsqlConnectionStringBuilder(db.ConnectionString).Port,
            DatabaseProvider.MySql => (int)new MySqlConnectionStringBuilder(db.ConnectionString).Port,
            _ => throw new NotSupportedException("An SQLite file has no port."),
        };

        /// <summary>Settings naming this database on another loopback port (a <see cref="TcpRelay"/> in front of the server).</summary>
        public IReadOnlyDictionary<string, string> SettingsThroughPort(int port) => db.Provider switch
        {
            DatabaseProvider.Postgres => SettingsFor(db.Provider, new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = port }.ConnectionString),
            DatabaseProvider.MySql => SettingsFor(db.Provider, new MySqlConnectionStringBuilder(db.ConnectionString) { Port = (uint)port }.ConnectionString),
            _ => throw new NotSupportedException("An SQLite file has no port."),
        };

        /// <summary>Settings naming this database with a wrong password (a server engine's; SQLite has none).</summary>
        public IReadOnlyDictionary<string, string> WrongPasswordSettings => db.SettingsAs(null, "wrong-password");

        /// <summary>Settings naming this database as another user of the server, or the same one when null (a server engine's).</summary>
        public IReadOnlyDictionary<string, string> SettingsAs(string? user, string password)
        {
            if (db.Provider == DatabaseProvider.Postgres)
            {
                var postgres = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = password };
                postgres.Username = user ?? postgres.Username;
                return SettingsFor(db.Provider, postgres.ConnectionString);
            }

            if (db.Provider == DatabaseProvider.MySql)
            {
                var mySql = new MySqlConnectionStringBuilder(db.ConnectionString) { Password = password };
                mySql.UserID = user ?? mySql.UserID;
                return SettingsFor(db.Provider, mySql.ConnectionString);
            }

            throw new NotSupportedException("An SQLite file has no users or passwords.");
        }
    }

    private static Dictionary<string, string> SettingsFor(DatabaseProvider provider, string connectionString) => new()
    {
        ["Database:Provider"] = provider.ToString(),
        ["ConnectionStrings:Users"] = connectionString,
    };

    private static string Without(DbConnectionStringBuilder builder, string keyword)
    {
        builder.Remove(keyword);
        return builder.ConnectionString;
    }
}
