namespace NpsGrpc.Core.KeyTerms;

/// <summary>A term that distinguishes one side: its readable form, stem, counts per category and z-score.</summary>
public sealed record KeyTerm(string Term, string Stem, long DetractorCount, long PassiveCount, long PromoterCount, double Z);

/// <summary>The key terms of each side, and how many comments of each category they were read from.</summary>
public sealed record KeyTermResult(
    IReadOnlyList<KeyTerm> DetractorTerms,
    IReadOnlyList<KeyTerm> PromoterTerms,
    long DetractorComments,
    long PassiveComments,
    long PromoterComments);
