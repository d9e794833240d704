using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using MimeKit;
using UserPages.Pages.Users;
using UserPages.Tests.Infrastructure;

namespace UserPages.Tests.Pages.Users.Manage;

/// <summary>The steps of managing an entry as a person takes them: over HTTP, with links read out of real mail.</summary>
public static class ManageFlow
{
    extension<TEngine>(MailedApp<TEngine> app)
        where TEngine : ITestEngine
    {
        /// <summary>Signs up a new person and confirms by the mailed link: a listed entry; its name and address.</summary>
        public async Task<(string Username, string Email)> ListedAsync()
        {
            var client = app.CreateClient();
            var username = SignupClient.UniqueName("m");
            var email = $"{username}@example.com";
            Assert.Equal(HttpStatusCode.Redirect, (await client.SignUpAsync(username, email)).StatusCode);
            var confirm = await HtmlPage.GetAsync(client, MailLinks.LinkIn(await app.MailToAsync(email, EntryMail.ConfirmSignupSubject)));
            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(confirm, "form[method=post]")).StatusCode);
            return (username, email);
        }

        /// <summary>
        /// The <paramref name="nth"/> mail (from 1) with the subject to the address, waited for: an address gets
        /// several manage links when several sessions are opened.
        /// </summary>
        public async Task<MimeMessage> NthMailToAsync(string address, string subject, int nth)
        {
            var received = await app.Smtp.UntilAsync(messages => To(messages, address, subject).Count() >= nth, $"{nth} × \"{subject}\" to {address}");
            return To(received, address, subject).ElementAt(nth - 1);
        }

        /// <summary>Asks for a manage link, follows the <paramref name="nth"/> one mailed, presses its button: a client with a session.</summary>
        public async Task<HttpClient> OpenSessionAsync(string email, int nth = 1)
        {
            var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.Redirect, (await client.AskForManageLinkAsync(email)).StatusCode);
            var button = await HtmlPage.GetAsync(client, MailLinks.LinkIn(await app.NthMailToAsync(email, EntryMail.ManageSubject, nth)));
            var opened = await client.SubmitAsync(button, "form[method=post]");
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
            Assert.Equal("/users/manage/entry", opened.Headers.Location?.OriginalString);
            return client;
        }
    }

    extension(HttpClient client)
    {
        public async Task<HttpResponseMessage> AskForManageLinkAsync(string email)
        {
            var form = await HtmlPage.GetAsync(client, "/users/manage");
            return await client.SubmitAsync(form, "form[method=post]", new() { ["Input.Email"] = email });
        }

        /// <summary>Posts the form as the page has it, with <paramref name="changes"/> typed in, to the form's own action.</summary>
        public Task<HttpResponseMessage> SubmitAsync(HtmlPage page, string formSelector, Dictionary<string, string>? changes = null)
        {
            var form = page.Document.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form matches {formSelector}.");
            var values = page.FormValues(formSelector);
            foreach (var (name, value) in changes ?? [])
            {
                values[name] = value;
            }

            return client.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), new FormUrlEncodedContent(values));
        }

        /// <summary>The entry page of this client's session.</summary>
        public Task<HtmlPage> EntryPageAsync() => HtmlPage.GetAsync(client, "/users/manage/entry");
    }

    private static IEnumerable<MimeMessage> To(IEnumerable<MimeMessage> messages, string address, string subject) =>
        messages.Where(m => m.Subject == subject && m.To.Mailboxes.Any(to => to.Address == address));
}
