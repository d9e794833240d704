namespace UserPages.Migrations;

/// <summary>Matches FluentMigrator processors by engine family for <c>IfDatabase</c>.</summary>
internal static class EngineFamily
{
    // FluentMigrator names its processors with a version ("Postgres11_0", "MySql5"), so a plain IfDatabase("Postgres")
    // matches nothing: match on the family name instead.
    public static Predicate<string> Of(params string[] names) =>
        type => names.Any(name => type.StartsWith(name, StringComparison.OrdinalIgnoreCase));
}
