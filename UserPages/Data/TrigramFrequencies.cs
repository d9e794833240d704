using System.Collections.Frozen;
using Dapper;

namespace UserPages.Data;

/// <summary>
/// PostgreSQL: how common each trigram in <c>user_trigrams</c> is, as the planner's statistics say (the most common
/// ones, up to 10,000, refreshed by ANALYZE), read at most every few minutes. A search walks its term's rarest trigram;
/// one the statistics do not list is rarer than every one they do.
/// </summary>
internal sealed class TrigramFrequencies
{
    private const string CommonTrigrams = """
        SELECT common.trigram AS Trigram, common.frequency AS Frequency
        FROM pg_stats, unnest(most_common_vals::text::text[], most_common_freqs) AS common (trigram, frequency)
        WHERE schemaname = current_schema() AND tablename = 'user_trigrams' AND attname = 'trigram'
        """;

    private static readonly TimeSpan ReadEvery = TimeSpan.FromMinutes(5);

    private volatile Snapshot? _snapshot;

    /// <summary>The term's distinct trigrams, rarest first, at least <paramref name="count"/> (the last repeated).</summary>
    public async Task<string[]> RarestAsync(UnitOfWork unit, string lowerCaseTerm, int count, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || Environment.TickCount64 - snapshot.ReadAtMs > ReadEvery.TotalMilliseconds)
        {
            // Instances and requests may read at once; each read is whole and the last one stays.
            var rows = await unit.Connection.QueryAsync<(string Trigram, float Frequency)>(new CommandDefinition(
                CommonTrigrams, transaction: unit.Transaction, cancellationToken: cancellationToken));
            _snapshot = snapshot = new Snapshot(rows.ToFrozenDictionary(row => row.Trigram, row => row.Frequency), Environment.TickCount64);
        }

        var rarest = Trigrams(lowerCaseTerm)
            .OrderBy(trigram => snapshot.Frequencies.GetValueOrDefault(trigram))
            .ToList();
        while (rarest.Count < count)
        {
            rarest.Add(rarest[^1]);
        }

        return [.. rarest];
    }

    // Three characters as the database counts them: code points, so an emoji is one.
    private static IEnumerable<string> Trigrams(string text)
    {
        var runes = text.EnumerateRunes().Select(rune => rune.ToString()).ToArray();
        return Enumerable.Range(0, Math.Max(0, runes.Length - UserSearch.TrigramLength + 1))
            .Select(start => string.Concat(runes.AsSpan(start, UserSearch.TrigramLength)))
            .Distinct(StringComparer.Ordinal);
    }

    private sealed record Snapshot(FrozenDictionary<string, float> Frequencies, long ReadAtMs);
}
