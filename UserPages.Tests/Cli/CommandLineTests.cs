using UserPages.Cli;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Cli;

/// <summary>
/// A command line the app does not understand gets one line on stderr and a non-zero exit, never a web server
/// started by mistake; the web server still starts with no arguments or with ASP.NET Core's own switches.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string> NoSettings = [];

    [Theory]
    [InlineData("no-such-command", "UserPages: unknown command 'no-such-command'. See 'UserPages --help'.")]
    [InlineData("migarte", "UserPages: unknown command 'migarte'; did you mean 'migrate'? See 'UserPages --help'.")]
    [InlineData("migrate stauts", "UserPages migrate: unknown command 'stauts'; did you mean 'status'? See 'UserPages migrate --help'.")]
    [InlineData("migrate down --too 3", "UserPages migrate down: unknown option '--too'; did you mean '--to'? See 'UserPages migrate down --help'.")]
    [InlineData("backup", "UserPages backup: Option '--to' is required. See 'UserPages backup --help'.")]
    [InlineData("seed --users many", "UserPages seed: --users takes a whole number, not 'many'. See 'UserPages seed --help'.")]
    [InlineData("seed --users 99999999999", "UserPages seed: --users 99999999999 is out of range. See 'UserPages seed --help'.")]
    [InlineData("migrate down --to three", "UserPages migrate down: --to takes a whole number, not 'three'. See 'UserPages migrate down --help'.")]
    [InlineData("help no-such-command", "UserPages help: unknown command 'no-such-command'. See 'UserPages help --help'.")]
    [InlineData("help migrate stauts", "UserPages help: unknown command 'stauts'; did you mean 'status'? See 'UserPages help --help'.")]
    [InlineData("--frobnicate", "UserPages: unknown option '--frobnicate'; the web server's settings take a value (--frobnicate VALUE). See 'UserPages --help'.")]
    public async Task What_it_does_not_understand_is_one_line_on_stderr_and_exit_code_2(string commandLine, string expected)
    {
        // A web server started by mistake would never exit: the run's own timeout fails the test.
        var result = await AppProcess.RunAsync(NoSettings, commandLine.Split(' '));

        Assert.Equal(CommandLine.UsageError, result.ExitCode);
        Assert.Equal(expected, result.Error.TrimEnd('\n'));
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000", "--environment", "Production" }, true)]
    [InlineData(new[] { "--environment=Production", "--ConnectionStrings:Users=Data Source=users.db" }, true)]
    [InlineData(new[] { "--urls" }, false)]
    [InlineData(new[] { "--urls", "--environment=Production" }, false)]
    [InlineData(new[] { "--help" }, false)]
    [InlineData(new[] { "help" }, false)]
    [InlineData(new[] { "migrate" }, false)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000", "serve" }, false)]
    public void The_web_server_takes_no_arguments_or_ASP_NET_Cores_configuration_switches_each_with_its_value(string[] args, bool serves) =>
        Assert.Equal(serves, CommandLine.IsServe(args));

    [Theory]
    [InlineData("help", "--help")]
    [InlineData("help migrate down", "migrate down --help")]
    public async Task Help_is_a_command_too_and_prints_what_the_switch_prints(string command, string withSwitch)
    {
        var typed = await AppProcess.RunAsync(NoSettings, command.Split(' '));
        var expected = await AppProcess.RunAsync(NoSettings, withSwitch.Split(' '));

        Assert.Equal(0, typed.ExitCode);
        Assert.StartsWith("Description:", typed.Output, StringComparison.Ordinal);
        Assert.Contains("Usage:", typed.Output, StringComparison.Ordinal);
        Assert.Equal(expected.Output, typed.Output);
        Assert.Empty(typed.Error);
    }
}
