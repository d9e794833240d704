using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using UserPages.Mail;
using UserPages.Pages.Users;

namespace UserPages.Pages;

/// <summary>What is stored about a person, why, for how long, and how to change or remove it; the figures are the running settings.</summary>
public sealed class PrivacyModel(IOptions<SignupOptions> signup, IOptions<MailOptions> mail) : PageModel
{
    public SignupOptions Signup => signup.Value;

    public OutboxOptions Outbox => mail.Value.Outbox;

    /// <summary>A duration as a person reads it: "24 hours", "7 days", "30 minutes".</summary>
    public static string Spoken(TimeSpan span) => span switch
    {
        { TotalDays: >= 2 } when span.TotalDays % 1 == 0 => Plural((int)span.TotalDays, "day"),
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => Plural((int)span.TotalHours, "hour"),
        _ => Plural((int)Math.Ceiling(span.TotalMinutes), "minute"),
    };

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
