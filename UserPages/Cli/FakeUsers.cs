using UserPages.Data;

namespace UserPages.Cli;

/// <summary>
/// Plausible people with join dates spread over the last three years, or since the newest existing user joined,
/// oldest first: inserted in this order, their ids follow their join dates, as real signups' do. Each name carries a
/// running number, so a second seed run never collides with the first.
/// </summary>
internal sealed class FakeUsers(long firstNumber, int count, DateTime nowUtc, DateTime? newestExisting)
{
    private static readonly string[] FirstNames =
    [
        "ada", "alan", "grace", "linus", "margaret", "dennis", "barbara", "ken", "frances", "edsger",
        "radia", "tim", "hedy", "john", "katherine", "guido", "anita", "bjarne", "shafi", "donald",
        "sophie", "yukihiro", "joan", "niklaus", "mary", "james", "lynn", "rob", "adele", "brian",
    ];

    private static readonly string[] LastNames =
    [
        "lovelace", "turing", "hopper", "torvalds", "hamilton", "ritchie", "liskov", "thompson", "allen", "dijkstra",
        "perlman", "berners-lee", "lamarr", "backus", "johnson", "van.rossum", "borg", "stroustrup", "goldwasser", "knuth",
        "wilson", "matsumoto", "clarke", "wirth", "keller", "gosling", "conway", "pike", "goldberg", "kernighan",
    ];

    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "mail.example", "post.example"];

    private static readonly TimeSpan Span = TimeSpan.FromDays(3 * 365);

    public IEnumerable<ImportedUser> Generate()
    {
        var random = new Random(unchecked((int)firstNumber) ^ count);
        // Never before the newest existing user, and on a whole second, so rounding below never goes before it either.
        var earliest = newestExisting is { } newest && newest > nowUtc - Span ? newest : nowUtc - Span;
        var start = earliest.AddTicks((TimeSpan.TicksPerSecond - (earliest.Ticks % TimeSpan.TicksPerSecond)) % TimeSpan.TicksPerSecond);
        var step = Math.Max(0, (nowUtc - start).Ticks / count);
        for (var i = 0; i < count; i++)
        {
            var number = firstNumber + i;
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var username = random.Next(3) switch
            {
                0 => $"{first}.{last}{number}",
                1 => $"{first}_{number}",
                _ => $"{first[0]}{last}{number}",
            };

            // Whole seconds, like the database's own default; never before the start, so never before an existing user.
            var joined = start.AddTicks((step * i) + random.NextInt64(Math.Max(step, 1)));
            joined = new DateTime(joined.Ticks - (joined.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            yield return new ImportedUser(username, $"{first}.{last}{number}@{Domains[random.Next(Domains.Length)]}", joined);
        }
    }
}
