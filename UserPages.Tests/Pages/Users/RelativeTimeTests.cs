using UserPages.Pages.Users;

namespace UserPages.Tests.Pages.Users;

/// <summary>
/// Join times count whole clock minutes, so every request within one minute reads the same text: what lets the listing
/// keep a rendered page for the rest of the minute and still be right to the minute.
/// </summary>
public sealed class RelativeTimeTests
{
    private static readonly DateTime Joined = new(2026, 11, 29, 12, 2, 50, DateTimeKind.Utc);

    [Theory]
    [InlineData("12:02:50", "just now")]
    [InlineData("12:02:59.999", "just now")]
    [InlineData("12:03:00", "1 minute ago")] // ten seconds later, but the clock's minute has changed
    [InlineData("12:03:59.999", "1 minute ago")]
    [InlineData("12:04:00", "2 minutes ago")]
    [InlineData("13:01:59", "59 minutes ago")]
    [InlineData("13:02:00", "1 hour ago")]
    [InlineData("14:01:59", "1 hour ago")]
    [InlineData("14:02:00", "2 hours ago")]
    public void Counts_whole_clock_minutes(string now, string expected) =>
        Assert.Equal(expected, RelativeTime.Ago(Joined, DateTime.SpecifyKind(DateTime.Parse($"2026-11-29 {now}", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc)));

    [Fact]
    public void Reads_the_same_for_every_instant_of_a_minute()
    {
        var minuteStart = new DateTime(2026, 11, 29, 15, 0, 0, DateTimeKind.Utc);
        var joinTimes = Enumerable.Range(0, 5000).Select(i => minuteStart.AddSeconds(-17 * i - (i % 7))).ToList();
        for (var second = 0; second < 60; second++)
        {
            var now = minuteStart.AddSeconds(second).AddMilliseconds(second * 13 % 1000);
            Assert.Equal(joinTimes.Select(joined => RelativeTime.Ago(joined, minuteStart)), joinTimes.Select(joined => RelativeTime.Ago(joined, now)));
            Assert.Equal(RelativeTime.Minute(minuteStart), RelativeTime.Minute(now));
        }
    }

    [Fact]
    public void A_join_time_ahead_of_this_clock_is_just_now() =>
        Assert.Equal("just now", RelativeTime.Ago(Joined.AddMinutes(3), Joined));
}
