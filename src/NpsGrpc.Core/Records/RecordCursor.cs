namespace NpsGrpc.Core.Records;

/// <summary>
/// A position in a product's records, newest first: by answered_at (µs since 1970), ties by record id (records
/// answered in the same microsecond come in descending id order). A page continues with the records after it.
/// </summary>
public readonly record struct RecordCursor(long AnsweredAtMicros, long RecordId)
{
    /// <summary>answered_at is kept in 16 decimal digits of µs: up to the year 2286.</summary>
    public const long MicrosLimit = 10_000_000_000_000_000;

    /// <summary>Record ids are counted from 1 and kept in 12 decimal digits.</summary>
    public const long RecordIdLimit = 1_000_000_000_000;

    public bool IsValid => AnsweredAtMicros is >= 0 and < MicrosLimit && RecordId is > 0 and < RecordIdLimit;
}
