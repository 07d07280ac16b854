using NpsGrpc.Core.Records;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Validation;
using NpsGrpc.V1;

namespace NpsGrpc.Server.Services;

/// <summary>ListResponses and DeleteRespondentRecords: requests to the domain and the record store, results back to the contract.</summary>
public sealed class RecordsRpc(IRecordStore store, ILogger<RecordsRpc> logger)
{
    public async Task<ListResponsesResponse> ListResponsesAsync(ListResponsesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FieldViolation>();
        var categories = ProtoMapping.ToDomainCategories(request.Categories, violations);
        var listing = ResponseListing.TryParse(
            request.ProductId,
            request.Segment,
            ProtoMapping.ToPreciseInstant(request.StartTime),
            ProtoMapping.ToPreciseInstant(request.EndTime),
            categories,
            request.OnlyWithComment,
            request.PageSize,
            request.PageToken,
            violations);
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }

        var page = await store.ListAsync(listing!, cancellationToken).ConfigureAwait(false);
        var response = new ListResponsesResponse { NextPageToken = listing!.NextPageToken(page.Next) };
        response.Records.AddRange(page.Records.Select(record => ProtoMapping.ToProto(record)));
        return response;
    }

    public async Task<DeleteRespondentRecordsResponse> DeleteRespondentRecordsAsync(DeleteRespondentRecordsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FieldViolation>();
        var erasure = RespondentErasure.TryParse(request.RespondentId, request.ProductIds, violations);
        if (erasure is null)
        {
            throw new RequestValidationException(violations);
        }

        // Not cancellable: once scripts are sent, abandoning them would only hide what they erased.
        var erased = await store.EraseAsync(erasure, CancellationToken.None).ConfigureAwait(false);
        // Neither the respondent id nor the products are logged: the log would keep what was just erased.
        ServerLog.RespondentErased(logger, erased, erasure.ProductIds.Count);
        return new DeleteRespondentRecordsResponse { DeletedRecordCount = erased };
    }
}
