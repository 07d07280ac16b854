namespace NpsGrpc.Core.Validation;

/// <summary>One thing wrong with one field of a request; <see cref="Field"/> is a path such as <c>responses[3].score</c>.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Thrown when a request is malformed as a whole, carrying every violation found.</summary>
public sealed class RequestValidationException(IReadOnlyList<FieldViolation> violations)
    : Exception(violations.Count == 0 ? "The request is invalid." : violations[0].Description)
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}
