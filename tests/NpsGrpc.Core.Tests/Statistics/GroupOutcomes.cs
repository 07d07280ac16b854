using NpsGrpc.Core.Statistics;

namespace NpsGrpc.Core.Tests.Statistics;

/// <summary>One way n answers can fall into the three groups, with its probability and both sets of statistics.</summary>
internal readonly record struct Outcome(GroupCounts Counts, AdjustedGroup Adjusted, double PlainNps, double PlainVarianceOfMean, double Probability);

/// <summary>Whether a test calls the difference between two outcomes significant.</summary>
internal delegate bool Decision(in Outcome first, in Outcome second);

/// <summary>
/// The outcomes (promoters, passives, detractors) of n answers drawn independently from one distribution, each with
/// its exact multinomial probability: all (n+1)(n+2)/2 of them (5151 at n = 100), or, when asked, only the likeliest
/// ones until what is left out weighs at most a given probability, which then bounds the error of any rate.
/// </summary>
internal sealed class GroupOutcomes
{
    private readonly Outcome[] _outcomes;
    private readonly double[] _cumulative;

    private GroupOutcomes(Outcome[] outcomes, double leftOut)
    {
        _outcomes = outcomes;
        LeftOut = leftOut;
        _cumulative = new double[outcomes.Length];
        var sum = 0.0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            sum += outcomes[i].Probability;
            _cumulative[i] = sum;
        }
    }

    /// <summary>How many outcomes are kept.</summary>
    public int Count => _outcomes.Length;

    /// <summary>The summed probability of the outcomes kept.</summary>
    public double Kept => _cumulative[^1];

    /// <summary>The summed probability of the outcomes left out: a rate over pairs of kept outcomes may be this much short per group.</summary>
    public double LeftOut { get; }

    /// <summary>
    /// The outcomes of <paramref name="n"/> answers given in percent promoter, passive and detractor, the likeliest
    /// first, leaving out the least likely ones while their summed probability stays within <paramref name="negligible"/>.
    /// </summary>
    public static GroupOutcomes Of(int n, int promoterPercent, int passivePercent, int detractorPercent, double negligible = 0)
    {
        Assert.Equal(100, promoterPercent + passivePercent + detractorPercent);
        var logFactorial = new double[n + 1];
        for (var k = 1; k <= n; k++)
        {
            logFactorial[k] = logFactorial[k - 1] + Math.Log(k);
        }

        var (logPromoter, logPassive, logDetractor) = (Math.Log(promoterPercent / 100.0), Math.Log(passivePercent / 100.0), Math.Log(detractorPercent / 100.0));
        var count = (n + 1) * (n + 2) / 2;
        var probabilities = new double[count];
        var all = new GroupCounts[count];
        var next = 0;
        for (var promoters = 0; promoters <= n; promoters++)
        {
            for (var detractors = 0; promoters + detractors <= n; detractors++)
            {
                var passives = n - promoters - detractors;
                var logProbability = logFactorial[n] - logFactorial[promoters] - logFactorial[passives] - logFactorial[detractors]
                    + LogPower(logPromoter, promoters) + LogPower(logPassive, passives) + LogPower(logDetractor, detractors);
                probabilities[next] = Math.Exp(logProbability);
                all[next++] = new GroupCounts(promoters, passives, detractors);
            }
        }

        // Left out from the least likely up, so the sum of what is left out is exact enough to be a bound.
        Array.Sort(probabilities, all);
        var first = 0;
        var leftOut = 0.0;
        while (first < count - 1 && leftOut + probabilities[first] <= negligible)
        {
            leftOut += probabilities[first++];
        }

        var outcomes = new Outcome[count - first];
        for (var i = 0; i < outcomes.Length; i++)
        {
            // The likeliest first.
            var counts = all[count - 1 - i];
            var standardError = NpsStatistics.StandardError(counts.Promoters, counts.Detractors, n)!.Value;
            outcomes[i] = new Outcome(
                counts, NpsStatistics.Adjust(counts), (counts.Promoters - counts.Detractors) * 100.0 / n, standardError * standardError,
                probabilities[count - 1 - i]);
        }

        return new GroupOutcomes(outcomes, leftOut);
    }

    /// <summary>
    /// The exact probability that <paramref name="decision"/> fires for one draw of each group, over the kept outcomes:
    /// the true rate lies between it and it plus both groups' <see cref="LeftOut"/>.
    /// </summary>
    public static double ExactRate(GroupOutcomes first, GroupOutcomes second, Decision decision)
    {
        var rate = 0.0;
        foreach (ref readonly var a in first._outcomes.AsSpan())
        {
            var conditional = 0.0;
            foreach (ref readonly var b in second._outcomes.AsSpan())
            {
                if (decision(a, b))
                {
                    conditional += b.Probability;
                }
            }

            rate += a.Probability * conditional;
        }

        return rate;
    }

    /// <summary>The share of <paramref name="pairs"/> seeded draws of one outcome per group for which <paramref name="decision"/> fires.</summary>
    public static double SimulatedRate(GroupOutcomes first, GroupOutcomes second, Decision decision, int pairs, int seed)
    {
        var random = new Random(seed);
        var fired = 0;
        for (var i = 0; i < pairs; i++)
        {
            if (decision(first.Draw(random), second.Draw(random)))
            {
                fired++;
            }
        }

        return (double)fired / pairs;
    }

    private ref readonly Outcome Draw(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble() * Kept);
        return ref _outcomes[Math.Min(index < 0 ? ~index : index, _outcomes.Length - 1)];
    }

    /// <summary>count · log p, with 0^0 = 1 so a group of probability 0 costs nothing while nobody falls in it.</summary>
    private static double LogPower(double logProbability, int count) => count == 0 ? 0 : count * logProbability;
}
