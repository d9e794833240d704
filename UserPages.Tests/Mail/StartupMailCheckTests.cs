using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using UserPages.Data;
using UserPages.Health;
using UserPages.Hosting;
using UserPages.Mail;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Mail;

/// <summary>
/// Links in mail come from <c>App:PublicBaseUrl</c> alone, and Production refuses to start without it once a feature
/// puts links in mail (Program exits 1 when the check says no, as for the schema check). No feature does yet, so the
/// check is driven with one declared here.
/// </summary>
public sealed class StartupMailCheckTests
{
    [Theory]
    [InlineData("https://users.example.com", "users/42", "https://users.example.com/users/42")]
    [InlineData("https://example.com/userpages", "/users/42", "https://example.com/userpages/users/42")]
    [InlineData("https://example.com/userpages/", "users/new?x=1", "https://example.com/userpages/users/new?x=1")]
    public void Links_are_built_from_the_public_base_url(string baseUrl, string path, string expected)
    {
        var links = new PublicLinks(Microsoft.Extensions.Options.Options.Create(new AppOptions { PublicBaseUrl = new Uri(baseUrl) }));

        Assert.Equal(expected, links.To(path).AbsoluteUri);
    }

    [Theory]
    [InlineData("Production", null, false)]
    [InlineData("Production", "https://users.example.com/", true)]
    [InlineData("Development", null, true)]
    public async Task A_feature_with_links_in_mail_starts_in_Production_only_with_App_PublicBaseUrl(string environment, string? publicBaseUrl, bool starts)
    {
        var logs = new FakeLogCollector();
        await using var app = Build(environment, publicBaseUrl, logs, services => services.AddLinksInMail("the test feature"));

        Assert.Equal(starts, StartupMailCheck.EnsureConfigured(app));

        var refusals = logs.GetSnapshot().Where(entry => entry.Level == LogLevel.Critical).ToList();
        if (starts)
        {
            Assert.Empty(refusals);
        }
        else
        {
            Assert.Equal("App:PublicBaseUrl is not set, and the test feature puts links in mail: set App__PublicBaseUrl to the address people reach the app at (https://…) before starting the app.", Assert.Single(refusals).Message);
        }
    }

    [Fact]
    public async Task Without_a_feature_that_sends_links_Production_starts_without_App_PublicBaseUrl()
    {
        await using var app = Build("Production", null, new FakeLogCollector(), _ => { });

        Assert.True(StartupMailCheck.EnsureConfigured(app));
    }

    private static WebApplication Build(string environment, string? publicBaseUrl, FakeLogCollector logs, Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, Args = [] });
        builder.Configuration["ConnectionStrings:Users"] = "Data Source=/tmp/userpages-startup-mail-check.db";
        if (publicBaseUrl is not null)
        {
            builder.Configuration["App:PublicBaseUrl"] = publicBaseUrl;
        }

        builder.Logging.ClearProviders().AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddUserPagesData(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddDatabaseHealth();
        builder.Services.AddMail(builder.Configuration, builder.Environment.ContentRootPath);
        configure(builder.Services);
        return builder.Build();
    }
}
