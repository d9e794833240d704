using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>`migrate` with settings that name no database it knows: refused before any engine is reached.</summary>
public sealed class MigrateSettingsTests
{
    [Fact]
    public async Task Unknown_provider_fails_with_one_clear_line()
    {
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "oracle", ["ConnectionStrings:Users"] = "x" };

        var result = await AppProcess.RunAsync(settings, "migrate", "status");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("migrate status failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("Database:Provider", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_timeout_out_of_range_fails_with_one_clear_line()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Users"] = "Data Source=/proc/no-such-dir/users.db",
            ["Migrations:LockTimeoutSeconds"] = "0",
        };

        var result = await AppProcess.RunAsync(settings, "migrate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("migrate failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("LockTimeoutSeconds", result.Error, StringComparison.Ordinal);
    }
}
