using NpsGrpc.Core.Records;

namespace NpsGrpc.Core.Storage;

/// <summary>Where response records live, newest first per product, for listing and erasure.</summary>
public interface IRecordStore
{
    /// <summary>
    /// Reads one page of a listing in one round trip: up to <see cref="ResponseListing.PageSize"/> matching records,
    /// newest first, from at most <see cref="ResponseListing.MaxExamined"/> examined, and the position to continue
    /// after (null when no record is left to examine).
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached.</exception>
    Task<RecordPage> ListAsync(ResponseListing listing, CancellationToken cancellationToken);

    /// <summary>
    /// Erases every record of the respondent on each product, each product atomically (records, index entries and
    /// follow-up queue entries with their pending deliveries); returns how many records were erased. Idempotent.
    /// </summary>
    /// <exception cref="ScoreStoreUnavailableException">The store could not be reached; some products may have been erased.</exception>
    Task<long> EraseAsync(RespondentErasure erasure, CancellationToken cancellationToken);
}

/// <summary>A page of records and where the next one starts (null: this is the last).</summary>
public sealed record RecordPage(IReadOnlyList<ResponseRecord> Records, RecordCursor? Next);
