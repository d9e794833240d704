using System.Collections.Frozen;
using Dapper;

namespace UserPages.Data;

/// <summary>
/// PostgreSQL: how common each trigram in <c>user_trigrams</c> is, as the planner's statistics say (the most common
/// ones, up to 10,000, refreshed by ANALYZE), read at most every few minutes, and which of a term's trigrams a search
/// looks up. One the statistics do not list is rarer than every one they do.
/// </summary>
internal sealed class TrigramFrequencies
{
    private const string CommonTrigrams = """
        SELECT common.trigram AS Trigram, common.frequency AS Frequency
        FROM pg_stats, unnest(most_common_vals::text::text[], most_common_freqs) AS common (trigram, frequency)
        WHERE schemaname = current_schema() AND tablename = 'user_trigrams' AND attname = 'trigram'
        """;

    /// <summary>How much more common than the rarest trigram the second may be for the walk to merge the two lists.</summary>
    private const float MergeWithin = 2;

    private static readonly TimeSpan ReadEvery = TimeSpan.FromMinutes(5);

    private volatile Snapshot? _snapshot;

    /// <summary>The trigrams a search for the term looks up (<see cref="Choose"/>), by the statistics of the last few minutes.</summary>
    public async Task<TrigramChoice> ChooseAsync(UnitOfWork unit, string lowerCaseTerm, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is null || Environment.TickCount64 - snapshot.ReadAtMs > ReadEvery.TotalMilliseconds)
        {
            // Instances and requests may read at once; each read is whole and the last one stays.
            var rows = await unit.Connection.QueryAsync<(string Trigram, float Frequency)>(new CommandDefinition(
                CommonTrigrams, transaction: unit.Transaction, cancellationToken: cancellationToken));
            _snapshot = snapshot = new Snapshot(rows.ToFrozenDictionary(row => row.Trigram, row => row.Frequency), Environment.TickCount64);
        }

        return Choose(lowerCaseTerm, snapshot.Frequencies);
    }

    /// <summary>
    /// The term's trigrams a search looks up: its rarest, then twice the rarest that shares no character with those
    /// already taken (the rarest left when none does). A trigram overlapping the first mostly comes from the same word
    /// and so passes nearly every candidate the first one walks ("lar" then ".cl" for "grace.clarke", both in every
    /// Clarke); one from elsewhere in the term tells them apart ("gra"). The walk merges the first two when the second
    /// is at most <see cref="MergeWithin"/> times as common: two lists about as dense are cheapest each read once in id
    /// order, and a much rarer one cheapest walked alone, each entry looked up in the other.
    /// </summary>
    /// <param name="frequencies">The share of <c>user_trigrams</c> rows each common trigram has; any other is rarer.</param>
    internal static TrigramChoice Choose(string lowerCaseTerm, IReadOnlyDictionary<string, float> frequencies)
    {
        var byRarity = Trigrams(lowerCaseTerm)
            .Select(trigram => (trigram.Text, trigram.Start, Frequency: frequencies.GetValueOrDefault(trigram.Text)))
            .OrderBy(trigram => trigram.Frequency)
            .ToList();
        var taken = new List<(string Text, int Start, float Frequency)>();
        while (taken.Count < 3)
        {
            if (byRarity.Count == 0)
            {
                taken.Add(taken[^1]);
                continue;
            }

            var apart = byRarity.FindIndex(trigram => taken.TrueForAll(other => Math.Abs(other.Start - trigram.Start) >= UserSearch.TrigramLength));
            var next = apart >= 0 ? apart : 0;
            taken.Add(byRarity[next]);
            byRarity.RemoveAt(next);
        }

        var merge = taken[1].Frequency <= MergeWithin * taken[0].Frequency;
        return new TrigramChoice(taken[0].Text, merge ? taken[1].Text : taken[0].Text, taken[1].Text, taken[2].Text);
    }

    // Three characters as the database counts them (code points, so an emoji is one), each at its first start.
    private static IEnumerable<(string Text, int Start)> Trigrams(string text)
    {
        var runes = text.EnumerateRunes().Select(rune => rune.ToString()).ToArray();
        return Enumerable.Range(0, Math.Max(0, runes.Length - UserSearch.TrigramLength + 1))
            .Select(start => (Text: string.Concat(runes.AsSpan(start, UserSearch.TrigramLength)), Start: start))
            .DistinctBy(trigram => trigram.Text, StringComparer.Ordinal);
    }

    private sealed record Snapshot(FrozenDictionary<string, float> Frequencies, long ReadAtMs);
}

/// <summary>
/// The trigrams a PostgreSQL search looks up: it walks the ids that hold both <see cref="Rarest"/> and
/// <see cref="WalkedWith"/> (the rarest itself when the second is much more common), then checks the other two.
/// </summary>
internal sealed record TrigramChoice(string Rarest, string WalkedWith, string Second, string Third);
