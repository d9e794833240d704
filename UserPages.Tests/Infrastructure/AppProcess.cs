using System.Diagnostics;

namespace UserPages.Tests.Infrastructure;

/// <summary>What a finished child process printed and answered.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the built app (<c>dotnet UserPages.dll …</c>) as a real child process, configured the way an operator does:
/// through environment variables.
/// </summary>
public static class AppProcess
{
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "UserPages.dll");

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Content root = working directory, as for an operator running the published app.
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return info;
    }

    /// <summary>Runs the app in Production, as deployed.</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] args) =>
        RunInEnvironmentAsync("Production", settings, args);

    public static Task<ProcessResult> RunInEnvironmentAsync(string environment, IReadOnlyDictionary<string, string> settings, params string[] args) =>
        RunAsync(StartInfo(settings, environment, args));

    /// <summary>Runs a process as started (a working directory or command of a test's own), to its end or a minute.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish in time.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
