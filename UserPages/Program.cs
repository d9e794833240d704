using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.FileProviders;
using UserPages.Cli;
using UserPages.Data;
using UserPages.Health;
using UserPages.Hosting;
using UserPages.Mail;
using UserPages.Pages.Users;
using UserPages.Pages.Users.Manage;
using UserPages.Schema;
using UserPages.Telemetry;

// The pages are written in English: numbers and dates render the same whatever the server's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");

if (!CommandLine.IsServe(args))
{
    return await CommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Logging.KeepTokensOutOfLogs();

builder.Services.AddUserPagesData(builder.Configuration, builder.Environment.ContentRootPath).AddSchemaMigrator(builder.Configuration);
builder.Services.AddSecurityHeaders(builder.Configuration);
builder.Services.AddTransportSecurity(builder.Configuration);
builder.Services.AddRequestLimits(builder.Configuration);
builder.Services.AddSignupRateLimiting(builder.Configuration);
builder.Services.AddSharedDataProtection();
builder.Services.AddRazorPages()
    // FluentValidation is the one voice on input: no implicit [Required] from non-nullable strings, and no
    // jQuery-validation attributes in the HTML.
    .AddMvcOptions(options => options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true)
    .AddRazorPagesOptions(options => options.Conventions.Add(new HandledMethodsOnly()))
    .AddViewOptions(options => options.HtmlHelperOptions.ClientValidationEnabled = false);
builder.Services.AddCacheFriendlyTempData();
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
builder.Services.AddFriendlyErrors();
builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDatabaseHealth();
builder.Services.AddListingCache(builder.Configuration);
builder.Services.AddTelemetry(builder.Configuration);
builder.Services.AddMail(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddSignup(builder.Configuration);
builder.Services.AddManageSession();

var app = builder.Build();

if (!await StartupSchemaCheck.EnsureCurrentAsync(app) || !StartupMailCheck.EnsureConfigured(app))
{
    // Disposing flushes the console logger's queue: without it the process could exit before saying why.
    await app.DisposeAsync();
    return 1;
}

app.UseForwardedHeadersIfProxied();
app.UseFriendlyErrors();
app.UseSecurityHeaders();
app.UseTransportSecurity();
app.UseRequestLimits();
app.UseStaticFiles();

// bench/run.sh only: the listing's own bytes served as a static file by this same process, the ceiling the listing
// is measured against. Off unless Bench:StaticFolder is set.
if (app.Configuration["Bench:StaticFolder"] is { Length: > 0 } benchFolder)
{
    app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(benchFolder), RequestPath = "/bench-static" });
}

app.UseRouting();
app.UseRateLimiter();
// After the rate limiter, so a limited client's form is not read for nothing.
app.UseMalformedRequestRefusal();
// After the check, so an address it refuses is never answered from a kept page.
app.UseOutputCache();

app.MapGet("/", () => Results.Redirect("/users"));
app.MapHealthProbes();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
