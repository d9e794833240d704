using System.ComponentModel.DataAnnotations;

namespace UserPages.Schema;

/// <summary>How long a <c>migrate</c> run waits for another run's migration lock: <c>Migrations:LockTimeoutSeconds</c>.</summary>
public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary>Long enough for another deploy job to finish migrating; then the run gives up, saying why, with exit code 1.</summary>
    [Range(1, 3600)]
    public int LockTimeoutSeconds { get; set; } = 120;

    public TimeSpan LockTimeout => TimeSpan.FromSeconds(LockTimeoutSeconds);
}
