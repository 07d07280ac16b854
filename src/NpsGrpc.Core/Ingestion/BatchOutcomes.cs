using NpsGrpc.Core.Storage;

namespace NpsGrpc.Core.Ingestion;

/// <summary>
/// What an acknowledgement tells of each response: the outcomes other than Counted, in index order, and their counts.
/// </summary>
public sealed record BatchOutcomes(
    IReadOnlyList<(int Index, ResponseOutcome Outcome)> Others,
    int Replaced,
    int Superseded,
    int AlreadyApplied)
{
    /// <summary>
    /// Combines what folding found (rejections, answers superseded within the batch) with what the store did. A
    /// response of a product that had applied the sequence before is AlreadyApplied whatever the fold or the store would
    /// say now: the earlier delivery's acknowledgement, if one arrived, told what it did, and a retry must not
    /// contradict it (a respondent's answer it called Replaced would now look like a first answer, Counted).
    /// </summary>
    public static BatchOutcomes Resolve(FoldedBatch batch, ApplyOutcome applied)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<(int, ResponseOutcome)>? others = null;
        int replaced = 0, superseded = 0, alreadyApplied = 0;
        for (var index = 0; index < batch.Outcomes.Length; index++)
        {
            var outcome = batch.Outcomes[index];
            if (outcome != ResponseOutcome.Rejected)
            {
                if (applied.WasAlreadyApplied(batch.ProductOf[index]))
                {
                    alreadyApplied++;
                    // A duplicate says it once, in its flag, instead of once per response.
                    if (applied.IsDuplicate)
                    {
                        continue;
                    }

                    outcome = ResponseOutcome.AlreadyApplied;
                }
                else if (applied.RespondentOutcomes is { } stored && stored.TryGetValue(index, out var fromStore))
                {
                    outcome = fromStore;
                }
            }

            switch (outcome)
            {
                case ResponseOutcome.Counted:
                    continue;
                case ResponseOutcome.Replaced:
                    replaced++;
                    break;
                case ResponseOutcome.Superseded:
                    superseded++;
                    break;
            }

            (others ??= []).Add((index, outcome));
        }

        return new BatchOutcomes(others ?? (IReadOnlyList<(int, ResponseOutcome)>)[], replaced, superseded, alreadyApplied);
    }
}
