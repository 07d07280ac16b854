using System.Security.Cryptography;
using System.Text;

namespace NpsGrpc.Core.Security;

/// <summary>What a caller holding an API key may do.</summary>
public static class ApiScopes
{
    /// <summary>Send survey responses (SubmitResponses).</summary>
    public const string Submit = "submit";

    /// <summary>Read scores (GetScore, CompareScores, GetScoreTrend, ListSegments).</summary>
    public const string Read = "read";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Submit, Read };
}

/// <summary>One configured key: a name for logs and errors, the SHA-256 of the key, and its scopes.</summary>
public sealed record ApiKey(string Name, byte[] Sha256, IReadOnlySet<string> Scopes);

/// <summary>
/// The configured API keys. Only SHA-256 hashes are kept (keys are long random strings, so a fast hash is enough:
/// there is no password to guess), and a presented key is compared with every hash in constant time, so neither
/// the comparison nor the position of the match tells an attacker anything.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly IReadOnlyList<ApiKey> _keys;

    public ApiKeyRing(IEnumerable<ApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
    }

    /// <summary>No keys configured: the server does not authenticate callers.</summary>
    public bool IsEmpty => _keys.Count == 0;

    public ApiKey? Find(string presentedKey)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        ApiKey? match = null;
        foreach (var key in _keys)
        {
            // No early exit: every hash is compared, whichever matches.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256))
            {
                match = key;
            }
        }

        return match;
    }

    /// <summary>The SHA-256 of a key as lowercase hex: what <c>printf %s "$KEY" | sha256sum</c> prints.</summary>
    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Builds a key from configuration, or explains what is wrong with it.</summary>
    public static ApiKey Parse(string? name, string? sha256, IEnumerable<string>? scopes)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("Every API key needs a Name (it appears in logs and errors instead of the key).");
        }

        if (sha256 is null || sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"API key '{name}': Sha256 must be the 64 hex digits of the key's SHA-256 (printf %s \"$KEY\" | sha256sum), not the key itself.");
        }

        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in scopes ?? [])
        {
            if (!ApiScopes.All.Contains(scope))
            {
                throw new ArgumentException($"API key '{name}': unknown scope '{scope}'; scopes are '{ApiScopes.Submit}' and '{ApiScopes.Read}'.");
            }

            granted.Add(scope);
        }

        if (granted.Count == 0)
        {
            throw new ArgumentException($"API key '{name}' has no Scopes; give it '{ApiScopes.Submit}', '{ApiScopes.Read}' or both.");
        }

        return new ApiKey(name, Convert.FromHexString(sha256), granted);
    }
}
