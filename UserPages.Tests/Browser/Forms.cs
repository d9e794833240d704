using Microsoft.Playwright;

namespace UserPages.Tests.Browser;

/// <summary>Sending any of the app's forms as a person does, and waiting for the answer as they would.</summary>
public static class Forms
{
    /// <summary>Submits through the given action (a key or a click) and returns the answer to the POST once shown.</summary>
    public static async Task<IResponse> SubmitAsync(IPage page, Func<Task> action)
    {
        // Listening for the answer's load event before submitting, not WaitForLoadStateAsync after: that checks the
        // page's state and then subscribes, and a load landing in between left a CI run waiting out its 30 s timeout.
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            var response = await page.RunAndWaitForResponseAsync(action, r => r.Request.Method == "POST");
            await loaded.Task.WaitAsync(Scenario.StepTimeout);
            return response;
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>Presses the button named <paramref name="button"/> and returns the answer to its POST once shown.</summary>
    public static Task<IResponse> PressAsync(this IPage page, string button) =>
        SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync());

    /// <summary>Turns the browser's own checks off on every form of the page (as a script or an old browser might), so the server answers.</summary>
    public static Task SkipBrowserChecksAsync(this IPage page) =>
        page.EvaluateAsync("() => document.querySelectorAll('form').forEach(form => form.noValidate = true)");
}
