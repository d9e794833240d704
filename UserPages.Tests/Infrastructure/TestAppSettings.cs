namespace UserPages.Tests.Infrastructure;

/// <summary>The settings every test app starts from, in process (<see cref="AppFixture{TEngine}"/>) or as a process (<see cref="AppServer"/>).</summary>
public static class TestAppSettings
{
    /// <summary>What links in the app's mail are built from in every test (App:PublicBaseUrl).</summary>
    public const string PublicBaseUrl = "http://userpages.test/";

    /// <summary>
    /// Tests post many signups from one (unknown) client address, so the rate limits are off; and most classes test
    /// what the listing does with the people in it, so a signup is listed at once, as with Signup:RequireConfirmedEmail
    /// off. They post a form the moment they fetch it, so the bot check's minimum fill time is off (waiting 2 s per
    /// signup would cost minutes, and a moved clock would move the mail and the sweep for everyone); the honeypot and the
    /// signed stamp still hold, and pass, since <see cref="SignupClient"/> posts the fetched form's fields as they came.
    /// The limits, the fill time and the confirmation by mail have classes of their own that turn them on.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Common { get; } = new Dictionary<string, string>
    {
        ["RateLimiting:Enabled"] = "false",
        ["Signup:RequireConfirmedEmail"] = "false",
        ["Signup:MinimumFillTime"] = "00:00:00",
        ["App:PublicBaseUrl"] = PublicBaseUrl,
    };

    /// <summary><see cref="Common"/> with <paramref name="settings"/> on top.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings)
    {
        var merged = new Dictionary<string, string>(Common);
        foreach (var (key, value) in settings)
        {
            merged[key] = value;
        }

        return merged;
    }
}
