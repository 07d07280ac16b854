using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.FollowUps;

/// <summary>
/// Group and consumer names: the identifier charset (safe in Redis keys and arguments, and never '|', which separates
/// the parts of an ack id), at most <see cref="MaxLength"/> characters.
/// </summary>
public static class FollowUpNames
{
    public const int MaxLength = 64;

    /// <summary>Adds a violation of <paramref name="field"/> when <paramref name="value"/> is not a valid name; true when it is.</summary>
    public static bool Validate(string value, string field, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (Identifier.Explain(value, field, MaxLength) is { } problem)
        {
            violations.Add(new FieldViolation(field, problem));
            return false;
        }

        return true;
    }
}
