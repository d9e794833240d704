using System.Globalization;

namespace UserPages.Pages.Users;

/// <summary>"3 days ago" for people, with the exact UTC instant for machines and hover titles.</summary>
public static class RelativeTime
{
    /// <summary>
    /// Counted in whole clock minutes (12:03:59 is one minute after 12:02:00, 12:02:59 none), so the text changes only
    /// when the clock's minute does: a page reads the same for every request within a minute, which is what lets the
    /// listing be kept per minute and still be right to the minute.
    /// </summary>
    public static string Ago(DateTime utc, DateTime nowUtc)
    {
        var elapsed = TimeSpan.FromMinutes(Minute(nowUtc) - Minute(utc));
        return elapsed switch
        {
            { TotalSeconds: < 60 } => "just now",
            { TotalMinutes: < 60 } => Plural((int)elapsed.TotalMinutes, "minute"),
            { TotalHours: < 24 } => Plural((int)elapsed.TotalHours, "hour"),
            { TotalDays: < 30 } => Plural((int)elapsed.TotalDays, "day"),
            { TotalDays: < 365 } => Plural((int)(elapsed.TotalDays / 30.44), "month"),
            _ => Plural((int)(elapsed.TotalDays / 365.25), "year"),
        };

        static string Plural(int count, string unit) => count == 1 ? $"1 {unit} ago" : $"{count} {unit}s ago";
    }

    /// <summary>The clock minute an instant falls in, as a number: the key a page kept per minute is stored under.</summary>
    public static long Minute(DateTime utc) => utc.Ticks / TimeSpan.TicksPerMinute;

    /// <summary>The machine-readable form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The exact instant for people, shown on hover.</summary>
    public static string Exact(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
