using UserPages.Data;

namespace UserPages.Hosting;

/// <summary>Runs the <see cref="SignupWriter"/>'s group commits for as long as the web app runs.</summary>
public sealed class SignupWriterService(SignupWriter writer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}
