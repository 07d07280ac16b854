using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NpsGrpc.Core.Security;

/// <summary>What a caller holding an API key may do.</summary>
public static class ApiScopes
{
    /// <summary>Send survey responses (SubmitResponses).</summary>
    public const string Submit = "submit";

    /// <summary>Read scores and key terms (GetScore, WatchScore, CompareScores, GetScoreTrend, ListSegments, GetKeyTerms): nothing personal.</summary>
    public const string Read = "read";

    /// <summary>
    /// Read and act on response records, which hold what customers wrote and who they are (ListResponses,
    /// StreamFollowUps, AcknowledgeFollowUps, GetFollowUpBacklog).
    /// </summary>
    public const string FollowUp = "follow_up";

    /// <summary>Erase a respondent's records (DeleteRespondentRecords).</summary>
    public const string Erase = "erase";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Submit, Read, FollowUp, Erase };

    /// <summary>The scopes as a configuration error lists them.</summary>
    public static string Names => "'submit', 'read', 'follow_up' and 'erase'";
}

/// <summary>One configured key: a name for logs and errors, the SHA-256 of the key, and its scopes.</summary>
public sealed record ApiKey(string Name, byte[] Sha256, IReadOnlySet<string> Scopes);

/// <summary>
/// What is wrong with a configured key: <see cref="Setting"/> is the part of the entry at fault (<c>Name</c>,
/// <c>Sha256</c>, <c>Scopes</c> or <c>Scopes:1</c>), so that the server can name the full configuration path.
/// </summary>
public sealed record ApiKeyProblem(string Setting, string Reason);

/// <summary>
/// The configured API keys. Only SHA-256 hashes are kept (keys are long random strings, so a fast hash is enough:
/// there is no password to guess), and a presented key is compared with every hash in constant time, so neither
/// the comparison nor the position of the match tells an attacker anything.
/// </summary>
/// <remarks>
/// A key and its hash are written so that neither passes for the other: a key is <see cref="KeyPrefix"/> and
/// 43 base64url characters (256 random bits), a hash is <see cref="HashPrefix"/> and 64 lowercase hex digits.
/// A key made with <c>openssl rand -hex 32</c> was 64 hex digits, exactly like a bare hash, so pasting one where
/// its hash belonged started a server that refused every caller.
/// </remarks>
public sealed class ApiKeyRing
{
    /// <summary>How every key <see cref="NewKey"/> makes starts.</summary>
    public const string KeyPrefix = "nps_";

    /// <summary>How every configured hash starts.</summary>
    public const string HashPrefix = "sha256:";

    private const int KeyBytes = 32;
    private const int HashHexDigits = 64;
    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    private readonly IReadOnlyList<ApiKey> _keys;

    public ApiKeyRing(IEnumerable<ApiKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
    }

    /// <summary>No keys configured: the server does not authenticate callers.</summary>
    public bool IsEmpty => _keys.Count == 0;

    /// <summary>
    /// The entry whose hash is the presented key's. Any string is hashed, with or without <see cref="KeyPrefix"/>:
    /// the prefix is there to tell keys from hashes in configuration, and a key made another way before it
    /// existed keeps working once its hash is configured as <c>sha256:&lt;hex&gt;</c>.
    /// </summary>
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

    /// <summary>A new key: <see cref="KeyPrefix"/> and 256 random bits as 43 base64url characters.</summary>
    public static string NewKey() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>
    /// The hash of a key as configured: <c>sha256:</c> and the lowercase hex SHA-256 of its UTF-8 bytes, the hex
    /// being what <c>printf %s "$KEY" | sha256sum</c> prints.
    /// </summary>
    public static string HashOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return HashPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Builds a key from configuration; throws <see cref="ArgumentException"/> saying what is wrong with it.</summary>
    public static ApiKey Parse(string? name, string? sha256, IEnumerable<string>? scopes)
    {
        var (key, problem) = Read(name, sha256, scopes);
        return key ?? throw new ArgumentException($"{problem!.Setting}: {problem.Reason}");
    }

    /// <summary>Builds a key from configuration, or says which part of the entry is wrong and why.</summary>
    public static (ApiKey? Key, ApiKeyProblem? Problem) Read(string? name, string? sha256, IEnumerable<string>? scopes)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, new ApiKeyProblem("Name", "every API key needs a Name (logs and errors show it instead of the key)."));
        }

        if (ReadHash(name, sha256, out var hash) is { } wrongHash)
        {
            return (null, new ApiKeyProblem("Sha256", wrongHash));
        }

        var granted = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var scope in scopes ?? [])
        {
            if (!ApiScopes.All.Contains(scope))
            {
                return (null, new ApiKeyProblem(
                    $"Scopes:{index}", $"API key '{name}' has an unknown scope '{scope}'; scopes are {ApiScopes.Names}."));
            }

            granted.Add(scope);
            index++;
        }

        if (granted.Count == 0)
        {
            return (null, new ApiKeyProblem("Scopes", $"API key '{name}' has no scope; give it one or more of {ApiScopes.Names}."));
        }

        return (new ApiKey(name, hash, granted), null);
    }

    /// <summary>The hash a configured value holds, or why it holds none. The value is never repeated: it may be a key.</summary>
    private static string? ReadHash(string name, string? sha256, out byte[] hash)
    {
        const string Expected = "a hash is written sha256: and 64 lowercase hex digits, as the second line new-api-key prints";
        hash = [];
        if (string.IsNullOrEmpty(sha256))
        {
            return $"API key '{name}' has no hash; {Expected}.";
        }

        if (sha256.StartsWith(KeyPrefix, StringComparison.Ordinal))
        {
            return $"API key '{name}': this is a key, not its hash. Configure the sha256: line new-api-key printed with it and give the key only to its caller; a key that has been in configuration is best replaced by a new one.";
        }

        if (sha256.Length == HashHexDigits && sha256.All(char.IsAsciiHexDigit))
        {
            return $"API key '{name}': 64 hex digits without 'sha256:' may be a hash or a key (openssl rand -hex 32 makes keys like that). If it is the key's SHA-256, write sha256: before it; if it is the key, configure its hash instead: sha256: and what printf %s \"$KEY\" | sha256sum prints.";
        }

        var hex = sha256.AsSpan(Math.Min(HashPrefix.Length, sha256.Length));
        if (!sha256.StartsWith(HashPrefix, StringComparison.Ordinal) || hex.Length != HashHexDigits || hex.ContainsAnyExcept(LowercaseHex))
        {
            return $"API key '{name}': not a hash; {Expected}.";
        }

        hash = Convert.FromHexString(hex);
        return null;
    }
}
