using UserPages.Data;

namespace UserPages.Tests.Data;

/// <summary>
/// Which of a term's trigrams a PostgreSQL search walks and looks up. The choice only decides how much the search
/// reads, never what it finds (SearchOrderTests); the frequencies are pg_stats' own at 1,000,000 seeded users.
/// </summary>
public sealed class TrigramChoiceTests
{
    private static readonly Dictionary<string, float> SeededFrequencies = new()
    {
        ["gra"] = 0.0010663f,
        ["rac"] = 0.0010727f,
        ["ace"] = 0.0021203f,
        ["ce."] = 0.001109f,
        ["e.c"] = 0.006749f,
        [".cl"] = 0.0010653f,
        ["cla"] = 0.0010807f,
        ["lar"] = 0.0010493f,
        ["ark"] = 0.001099f,
        ["rke"] = 0.001153f,
        ["hop"] = 0.0010833f,
        ["opp"] = 0.0010567f,
        ["ppe"] = 0.00107f,
        ["per"] = 0.002165f,
        ["er3"] = 0.000367f,
        ["son"] = 0.0032433f,
    };

    [Fact]
    public void Two_words_are_walked_together_by_a_trigram_of_each()
    {
        // "lar", ".cl" and "cla" are all in every Clarke: only "gra" tells Grace Clarke from the others.
        var choice = TrigramFrequencies.Choose("grace.clarke", SeededFrequencies);

        Assert.Equal(new TrigramChoice(Rarest: "lar", WalkedWith: "gra", Second: "gra", Third: "ce."), choice);
    }

    [Fact]
    public void A_much_rarer_trigram_is_walked_alone_and_the_others_looked_up()
    {
        // "er3" is three times rarer than "opp", the rarest trigram apart from it.
        var choice = TrigramFrequencies.Choose("hopper3", SeededFrequencies);

        Assert.Equal(new TrigramChoice(Rarest: "er3", WalkedWith: "er3", Second: "opp", Third: "ppe"), choice);
    }

    [Fact]
    public void Trigrams_the_statistics_do_not_list_are_the_rarest_and_are_merged()
    {
        var choice = TrigramFrequencies.Choose("zq-son-xw", SeededFrequencies);

        // None is three characters from both "zq-" and "on-": the third is the rarest left.
        Assert.Equal(new TrigramChoice(Rarest: "zq-", WalkedWith: "on-", Second: "on-", Third: "q-s"), choice);
    }

    [Fact]
    public void A_term_of_one_trigram_looks_up_that_one_only()
    {
        Assert.Equal(new TrigramChoice("son", "son", "son", "son"), TrigramFrequencies.Choose("son", SeededFrequencies));
    }

    [Fact]
    public void Trigrams_are_counted_in_code_points_as_the_database_counts_them()
    {
        // Four code points, the first two an emoji each (two UTF-16 units): two trigrams.
        var choice = TrigramFrequencies.Choose("😀😁ab", SeededFrequencies);

        Assert.Equal(new TrigramChoice("😀😁a", "😁ab", "😁ab", "😁ab"), choice);
    }
}
