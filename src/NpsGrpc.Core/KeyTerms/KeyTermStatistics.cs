using NpsGrpc.Core.Scoring;

namespace NpsGrpc.Core.KeyTerms;

/// <summary>
/// Fightin' Words (Monroe, Colaresi and Quinn, Political Analysis 2008): the weighted log-odds ratio of a term between
/// detractors' and promoters' comments, with an informative Dirichlet prior taken from all the product's comments,
/// and its z-score. The prior shrinks the log-odds of rare terms towards 0, so a word seen twice does not outrank
/// one seen a hundred times, and the z-score accounts for how much evidence each term has.
/// </summary>
public static class KeyTermStatistics
{
    /// <summary>
    /// z of term w, as the GetKeyTerms contract gives it, with a = y(w) and a0 = n:
    /// delta = ln((yD + a) / (nD + a0 - yD - a)) - ln((yP + a) / (nP + a0 - yP - a)),
    /// variance = 1 / (yD + a) + 1 / (yP + a), z = delta / sqrt(variance).
    /// NaN when the term is every term of the corpus (both odds are infinite: it distinguishes nothing).
    /// </summary>
    /// <param name="detractorCount">yD: the term's count in detractors' comments.</param>
    /// <param name="promoterCount">yP: the term's count in promoters' comments.</param>
    /// <param name="prior">a: the term's count in all comments (every category).</param>
    /// <param name="detractorTerms">nD: all terms of detractors' comments.</param>
    /// <param name="promoterTerms">nP: all terms of promoters' comments.</param>
    /// <param name="priorTerms">a0: all terms of all comments.</param>
    public static double ZScore(long detractorCount, long promoterCount, long prior, long detractorTerms, long promoterTerms, long priorTerms)
    {
        double yD = detractorCount, yP = promoterCount, a = prior;
        var restD = (double)detractorTerms + priorTerms - detractorCount - prior;
        var restP = (double)promoterTerms + priorTerms - promoterCount - prior;
        if (a <= 0 || restD <= 0 || restP <= 0)
        {
            return double.NaN;
        }

        var delta = Math.Log((yD + a) / restD) - Math.Log((yP + a) / restP);
        var variance = (1 / (yD + a)) + (1 / (yP + a));
        return delta / Math.Sqrt(variance);
    }

    /// <summary>
    /// The terms of <paramref name="tallies"/> that pass <paramref name="criteria"/>: detractors' side (z above
    /// MinZ) highest z first, promoters' side (z below -MinZ) lowest first; ties by the larger count, then by term.
    /// </summary>
    public static KeyTermResult Compute(TermTallies tallies, KeyTermCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        ArgumentNullException.ThrowIfNull(criteria);
        var detractors = tallies[ScoreCategory.Detractor];
        var passives = tallies[ScoreCategory.Passive];
        var promoters = tallies[ScoreCategory.Promoter];
        long nD = detractors.TotalTerms, nP = promoters.TotalTerms;
        var n = nD + passives.TotalTerms + nP;

        var leaningToDetractors = new List<KeyTerm>();
        var leaningToPromoters = new List<KeyTerm>();
        foreach (var stem in tallies.Stems)
        {
            long yD = detractors[stem], yN = passives[stem], yP = promoters[stem];
            if (yD + yP < criteria.MinCount)
            {
                continue;
            }

            var z = ZScore(yD, yP, yD + yN + yP, nD, nP, n);
            if (!(Math.Abs(z) > criteria.MinZ))
            {
                continue;
            }

            var term = new KeyTerm(tallies.ReadableForm(stem), stem, yD, yN, yP, z);
            (z > 0 ? leaningToDetractors : leaningToPromoters).Add(term);
        }

        return new KeyTermResult(
            Strongest(leaningToDetractors, criteria.MaxTerms, term => -term.Z),
            Strongest(leaningToPromoters, criteria.MaxTerms, term => term.Z),
            detractors.Comments,
            passives.Comments,
            promoters.Comments);
    }

    private static List<KeyTerm> Strongest(List<KeyTerm> terms, int max, Func<KeyTerm, double> strongestFirst) =>
    [
        .. terms.OrderBy(strongestFirst)
            .ThenByDescending(term => term.DetractorCount + term.PromoterCount)
            .ThenBy(term => term.Term, StringComparer.Ordinal)
            .ThenBy(term => term.Stem, StringComparer.Ordinal)
            .Take(max),
    ];
}
