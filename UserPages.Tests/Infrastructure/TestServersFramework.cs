using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("UserPages.Tests.Infrastructure.TestServersFramework", "UserPages.Tests")]

namespace UserPages.Tests.Infrastructure;

/// <summary>
/// xunit's own test framework, which also stops the run's shared database servers once every test has run. xunit 2
/// has no assembly fixtures, and process-exit handlers are not enough: the test host can be killed soon after the
/// run, before a server has been shut down.
/// </summary>
public sealed class TestServersFramework : XunitTestFramework
{
    public TestServersFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        TestServers.Diagnostics = messageSink;
        DisposalTracker.Add(new StopServersOnDispose());
    }

    private sealed class StopServersOnDispose : IDisposable
    {
        public void Dispose() => TestServers.StopAll();
    }
}
