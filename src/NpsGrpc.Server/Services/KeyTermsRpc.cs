using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.KeyTerms;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Validation;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>
/// GetKeyTerms: validates the request, reads the months' term counts (those still kept: months past the term retention
/// count nothing), and maps the statistics back.
/// </summary>
public sealed class KeyTermsRpc(IKeyTermStore store, RecordRules rules, TimeProvider clock)
{
    public async Task<GetKeyTermsResponse> GetKeyTermsAsync(GetKeyTermsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var violations = new List<FieldViolation>();
        var query = KeyTermQuery.TryParse(
            request.ProductId,
            ProtoMapping.ToInstant(request.StartTime),
            ProtoMapping.ToInstant(request.EndTime),
            request.MinZ,
            request.MinCount,
            request.MaxTerms,
            now,
            violations) ?? throw new RequestValidationException(violations);

        var tallies = await store.GetTermTalliesAsync(query.ProductId, query.ReadableMonths(now, rules.OldestTermMonth(now)), cancellationToken).ConfigureAwait(false)
            ?? throw ErrorStatus.NotFound(new ScoreQuery(query.ProductId, null));
        return ToProto(KeyTermStatistics.Compute(tallies, query.Criteria));
    }

    private static GetKeyTermsResponse ToProto(KeyTermResult result)
    {
        var response = new GetKeyTermsResponse
        {
            DetractorCommentCount = result.DetractorComments,
            PassiveCommentCount = result.PassiveComments,
            PromoterCommentCount = result.PromoterComments,
        };
        response.DetractorTerms.AddRange(result.DetractorTerms.Select(ToProto));
        response.PromoterTerms.AddRange(result.PromoterTerms.Select(ToProto));
        return response;
    }

    private static V1.KeyTerm ToProto(Core.KeyTerms.KeyTerm term) => new()
    {
        Term = term.Term,
        DetractorCount = term.DetractorCount,
        PassiveCount = term.PassiveCount,
        PromoterCount = term.PromoterCount,
        ZScore = term.Z,
    };
}
