using System.ComponentModel.DataAnnotations;
using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Server;

/// <summary>Bound from the <c>Comments</c> section.</summary>
public sealed class CommentsOptions : IValidatableObject
{
    public const string SectionName = "Comments";

    /// <summary>The language of a comment whose response names none (a BCP 47 tag, as SurveyResponse.language_code).</summary>
    public string DefaultLanguage { get; set; } = FoldContext.ContractDefaultLanguage;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LanguageTag.Explain(DefaultLanguage, "Comments:DefaultLanguage") is { } problem)
        {
            yield return new ValidationResult(problem, [nameof(DefaultLanguage)]);
        }
    }
}

/// <summary>Bound from the <c>Records</c> section: which counted responses are kept as records, and how many.</summary>
public sealed class RecordsOptions : IValidatableObject
{
    public const string SectionName = "Records";

    /// <summary>
    /// The categories (<c>detractor</c>, <c>passive</c>, <c>promoter</c>) whose responses are recorded even without a
    /// comment, for follow-up; detractors when unset. Null by default rather than a list, since binding adds the
    /// configured items to a list's initial ones instead of replacing them.
    /// </summary>
    public List<string>? FollowUpCategories { get; set; }

    /// <summary>Most records kept per product; beyond it the oldest are trimmed.</summary>
    [Range(1L, 1_000_000_000L)]
    public long MaxPerProduct { get; set; } = RecordRules.DefaultMaxPerProduct;

    /// <summary>Most distinct stems a product's key-term counts keep per category and month.</summary>
    [Range(100, 1_000_000)]
    public int TermsPerMonth { get; set; } = RecordRules.DefaultTermsPerMonth;

    /// <summary>The configured categories; detractors when none are.</summary>
    public IReadOnlySet<ScoreCategory> Categories() =>
        FollowUpCategories is null or { Count: 0 }
            ? RecordRules.Default.FollowUpCategories
            : FollowUpCategories.Select(Category).OfType<ScoreCategory>().ToHashSet();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in FollowUpCategories ?? [])
        {
            if (Category(name) is null)
            {
                yield return new ValidationResult(
                    $"Records:FollowUpCategories: '{name}' is not a category; use 'detractor', 'passive' or 'promoter'.",
                    [nameof(FollowUpCategories)]);
            }
        }
    }

    private static ScoreCategory? Category(string name) =>
        Names.FirstOrDefault(pair => string.Equals(pair.Name, name, StringComparison.OrdinalIgnoreCase)).Category;

    private static readonly (string Name, ScoreCategory? Category)[] Names =
        [("detractor", ScoreCategory.Detractor), ("passive", ScoreCategory.Passive), ("promoter", ScoreCategory.Promoter)];
}
