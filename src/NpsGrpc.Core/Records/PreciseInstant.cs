namespace NpsGrpc.Core.Records;

/// <summary>
/// An instant to the nanosecond, as the contract's timestamps carry it (seconds since 1970 and 0 to 999,999,999
/// nanoseconds): finer than DateTimeOffset's 100 ns, so that interval bounds compare and round exactly.
/// </summary>
public readonly record struct PreciseInstant(long Seconds, int Nanos) : IComparable<PreciseInstant>
{
    /// <summary>±10^12 s is far beyond years 1 to 9999 and keeps every µs count within a long.</summary>
    private const long SecondsLimit = 1_000_000_000_000;

    /// <summary>
    /// Whole µs since 1970, rounded up: records are kept to the µs, so "at or after" and "before" an instant between
    /// two µs mean the same as for the next µs. Out-of-range instants become the earliest or latest µs.
    /// </summary>
    public long MicrosRoundedUp => Seconds switch
    {
        > SecondsLimit => SecondsLimit * 1_000_000,
        < -SecondsLimit => -SecondsLimit * 1_000_000,
        _ => (Seconds * 1_000_000) + ((Math.Clamp(Nanos, 0, 999_999_999) + 999) / 1000),
    };

    public int CompareTo(PreciseInstant other) => (Seconds, Nanos).CompareTo((other.Seconds, other.Nanos));

    public static bool operator <(PreciseInstant left, PreciseInstant right) => left.CompareTo(right) < 0;

    public static bool operator >(PreciseInstant left, PreciseInstant right) => left.CompareTo(right) > 0;

    public static bool operator <=(PreciseInstant left, PreciseInstant right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PreciseInstant left, PreciseInstant right) => left.CompareTo(right) >= 0;
}
