using System.Collections.Concurrent;

namespace NpsGrpc.Redis;

/// <summary>
/// The months of each product whose term hashes this instance has written since it started. The apply script gives a
/// term hash its expiry when it creates it (it reads the hash's size anyway, for the cap), so a hash written before
/// term counts expired, which holds stems and no expiry, would never get one: the first script of each product and
/// month in an instance therefore sets the expiry of every term hash it writes, one PEXPIREAT per hash per instance,
/// and later scripts only of the hashes they create, at no command more.
/// </summary>
/// <remarks>Bounded: when full it forgets every month at once, which costs those expiries again, once each.</remarks>
internal sealed class TermExpiryMemo(int capacity = TermExpiryMemo.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<(string Product, string Month), byte> _written = new();

    /// <summary>Whether some of <paramref name="months"/> of <paramref name="productId"/> has not been written by this instance.</summary>
    public bool HasNew(string productId, IEnumerable<string> months) => months.Any(month => !_written.ContainsKey((productId, month)));

    /// <summary>Notes that a script of this instance applied, so each of <paramref name="months"/> has its expiries set.</summary>
    public void Written(string productId, IEnumerable<string> months)
    {
        foreach (var month in months)
        {
            // Count takes every lock of the dictionary: it is asked only when a month is new to this instance.
            if (_written.TryAdd((productId, month), 0) && _written.Count > capacity)
            {
                _written.Clear();
            }
        }
    }
}
