namespace UserPages.Tests.Infrastructure;

/// <summary>Fills in and posts the signup form the way a browser does: antiforgery token and cookie included.</summary>
public static class SignupClient
{
    /// <summary>Fetches the form and posts it; a null field is posted as the form left it (empty).</summary>
    public static async Task<HttpResponseMessage> SignUpAsync(this HttpClient client, string? username, string? email)
    {
        var form = await client.GetSignupFormAsync();
        return await client.PostSignupAsync(form, username ?? form["Input.Username"], email ?? form["Input.Email"]);
    }

    /// <summary>The signup form's fields (antiforgery token included) for this client; the token can be posted many times.</summary>
    public static async Task<Dictionary<string, string>> GetSignupFormAsync(this HttpClient client) =>
        (await HtmlPage.GetAsync(client, "/users/new")).FormValues();

    /// <summary>Posts a signup with a form fetched before, so many posts can leave at the same moment.</summary>
    public static Task<HttpResponseMessage> PostSignupAsync(this HttpClient client, Dictionary<string, string> form, string username, string email) =>
        client.PostAsync(new Uri("/users/new", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string>(form) { ["Input.Username"] = username, ["Input.Email"] = email }));

    /// <summary>
    /// A stampede: every client fetches its form first, then, <paramref name="fillTime"/> later (the time a person
    /// takes, for an app whose bot check waits for it), all post at the same moment, the i-th posting
    /// <paramref name="signup"/>(i). Answers the responses in the clients' order.
    /// </summary>
    public static async Task<HttpResponseMessage[]> StampedeAsync(
        IReadOnlyList<HttpClient> clients, Func<int, (string Username, string Email)> signup, TimeSpan fillTime = default)
    {
        var forms = await Task.WhenAll(clients.Select(client => client.GetSignupFormAsync()));
        await Task.Delay(fillTime, TestContext.Current.CancellationToken);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = clients.Select((client, i) => Task.Run(async () =>
        {
            await start.Task;
            var (username, email) = signup(i);
            return await client.PostSignupAsync(forms[i], username, email);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(posts);
    }

    /// <summary>A name no other test uses, so tests can share one database per class.</summary>
    public static string UniqueName(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 40)];
}
