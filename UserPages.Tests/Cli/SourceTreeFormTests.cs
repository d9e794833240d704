using System.Reflection;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// The README's source-tree form of a command, <c>dotnet run --no-launch-profile --project UserPages -- …</c>, run as
/// written on the build the tests already have: its standard output is the command's alone, so a redirected
/// <c>migrate script</c> is SQL and nothing else.
/// </summary>
public sealed class SourceTreeFormTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("userpages-source-tree-");

    private Dictionary<string, string> Settings => new() { ["ConnectionStrings:Users"] = $"Data Source={Path.Combine(_folder.FullName, "users.db")}" };

    [Fact]
    public async Task Without_the_launch_profile_dotnet_run_prints_what_the_published_app_prints()
    {
        var published = await AppProcess.RunAsync(Settings, "migrate", "script");
        var fromSource = await DotnetRunAsync(launchProfile: false, "migrate", "script");

        Assert.True(fromSource.ExitCode == 0, $"dotnet run exited with {fromSource.ExitCode}: {fromSource.Error}{fromSource.Output}");
        Assert.Contains("CREATE TABLE", published.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(published.Output, fromSource.Output);
    }

    // Why the README's form carries --no-launch-profile: without it, dotnet run speaks on standard output itself.
    [Fact]
    public async Task With_the_launch_profile_dotnet_run_adds_a_line_of_its_own_to_standard_output()
    {
        var withProfile = await DotnetRunAsync(launchProfile: true, "migrate", "script");

        Assert.True(withProfile.ExitCode == 0, $"dotnet run exited with {withProfile.ExitCode}: {withProfile.Error}{withProfile.Output}");
        Assert.StartsWith("Using launch settings from ", withProfile.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    // On the tests' own build of the app (--no-build), in the configuration they were built in.
    private Task<ProcessResult> DotnetRunAsync(bool launchProfile, params string[] command)
    {
        var configuration = typeof(SourceTreeFormTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var info = AppProcess.StartInfo(Settings, "Production");
        info.ArgumentList.Clear();
        string[] run = ["run", "--no-build", "-c", configuration, "--project", AppProject()];
        string[] profile = launchProfile ? [] : ["--no-launch-profile"];
        foreach (var argument in (string[])[.. run, .. profile, "--", .. command])
        {
            info.ArgumentList.Add(argument);
        }

        return AppProcess.RunAsync(info);
    }

    private static string AppProject()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "UserPages.sln")))
            {
                return Path.Combine(folder.FullName, "UserPages");
            }
        }

        throw new InvalidOperationException($"No UserPages.sln above {AppContext.BaseDirectory}.");
    }
}
