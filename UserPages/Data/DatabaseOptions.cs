using System.ComponentModel.DataAnnotations;

namespace UserPages.Data;

/// <summary>The database engines UserPages runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    MySql,
}

/// <summary>Which engine to use and how to reach it: <c>Database:Provider</c> and <c>ConnectionStrings:Users</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Users";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required(ErrorMessage = "ConnectionStrings:Users is not set.")]
    public string ConnectionString { get; set; } = "";
}
