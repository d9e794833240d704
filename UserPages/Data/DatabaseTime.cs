namespace UserPages.Data;

/// <summary>Times as the tables hold them: UTC, in a "timestamp without time zone" on PostgreSQL.</summary>
public static class DatabaseTime
{
    // Npgsql sends only an Unspecified DateTime to a timestamp without time zone.
    public static DateTime From(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);
}
