using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using NpsGrpc.Core.Security;

namespace NpsGrpc.Core.Tests.Security;

public sealed class ApiKeyRingTests
{
    private const string Zeros = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly ApiKeyRing Ring = new(
    [
        ApiKeyRing.Parse("ingest", ApiKeyRing.HashOf("nps_key-one"), ["submit"]),
        ApiKeyRing.Parse("dashboard", ApiKeyRing.HashOf("nps_key-two"), ["read"]),
        ApiKeyRing.Parse("operator", ApiKeyRing.HashOf("nps_key-three"), ["read", "submit", "read"]),
        // Made by `openssl rand -hex 32` before keys had a prefix: its hash is configured, so it still works.
        ApiKeyRing.Parse("legacy", ApiKeyRing.HashOf("5f0f4ad2c6b11f5e0a6bd0e9b5d3f2de0f8a7d6bfa3d4c3f2e1a0b9c8d7e6f50"), ["read"]),
    ]);

    [Fact]
    public void HashOf_is_sha256_colon_and_what_sha256sum_prints_for_the_same_key()
    {
        using var sha256sum = Process.Start(new ProcessStartInfo("bash", ["-c", "printf %s 'nps_key-one' | sha256sum | cut -c1-64"]) { RedirectStandardOutput = true })!;
        var printed = sha256sum.StandardOutput.ReadToEnd().Trim();
        sha256sum.WaitForExit();

        Assert.Equal("sha256:" + printed, ApiKeyRing.HashOf("nps_key-one"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("nps_key-one"u8)), printed);
    }

    [Fact]
    public void A_new_key_is_nps_underscore_and_256_random_bits_in_43_base64url_characters()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyRing.NewKey()).ToList();

        Assert.All(keys, key => Assert.Matches("^nps_[A-Za-z0-9_-]{43}$", key));
        Assert.All(keys, key => Assert.Equal(32, Convert.FromBase64String(Base64(key["nps_".Length..])).Length));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        // 100 keys of 256 random bits: every base64url character shows up (a constant or counter would not).
        Assert.Equal(64, keys.SelectMany(key => key["nps_".Length..]).Distinct().Count());
    }

    [Fact]
    public void A_new_key_and_its_hash_configure_an_entry_the_key_finds()
    {
        var key = ApiKeyRing.NewKey();
        var ring = new ApiKeyRing([ApiKeyRing.Parse("fresh", ApiKeyRing.HashOf(key), ["submit"])]);

        Assert.Equal("fresh", ring.Find(key)?.Name);
        Assert.Null(ring.Find(ApiKeyRing.HashOf(key)));
    }

    [Theory]
    [InlineData("nps_key-one", "ingest")]
    [InlineData("nps_key-two", "dashboard")]
    [InlineData("nps_key-three", "operator")]
    [InlineData("5f0f4ad2c6b11f5e0a6bd0e9b5d3f2de0f8a7d6bfa3d4c3f2e1a0b9c8d7e6f50", "legacy")]
    public void A_configured_key_finds_its_own_entry_with_or_without_the_prefix(string presented, string name) =>
        Assert.Equal(name, Ring.Find(presented)?.Name);

    [Theory]
    [InlineData("")]
    [InlineData("nps_key-on")]
    [InlineData("nps_key-one ")]
    [InlineData("NPS_KEY-ONE")]
    [InlineData("key-one")]
    [InlineData("5f0f4ad2c6b11f5e0a6bd0e9b5d3f2de0f8a7d6bfa3d4c3f2e1a0b9c8d7e6f5")]
    public void Anything_else_finds_nothing(string presented) => Assert.Null(Ring.Find(presented));

    [Fact]
    public void The_hash_of_a_key_is_not_accepted_as_the_key()
    {
        Assert.Null(Ring.Find(ApiKeyRing.HashOf("nps_key-one")));
        Assert.Null(Ring.Find(ApiKeyRing.HashOf("nps_key-one")["sha256:".Length..]));
    }

    [Fact]
    public void Scopes_are_kept_once_each() =>
        Assert.Equal(["read", "submit"], Ring.Find("nps_key-three")!.Scopes.Order(StringComparer.Ordinal));

    [Fact]
    public void An_empty_ring_says_so() => Assert.True(new ApiKeyRing([]).IsEmpty);

    public static TheoryData<string?, string?, string?, string, string> MalformedEntries => new()
    {
        { null, "sha256:" + Zeros, "submit", "Name", "needs a Name" },
        { "k", null, "submit", "Sha256", "has no hash" },
        { "k", "nps_4Gq0ETkvXN3YUCvSJ8Bq0Rk2yfVhFzvWc9hZ9MFwK3A", "submit", "Sha256", "this is a key, not its hash" },
        // The doc once made keys with `openssl rand -hex 32`: one pasted here looks like a bare hash.
        { "k", Zeros, "submit", "Sha256", "64 hex digits without 'sha256:' may be a hash or a key" },
        { "k", "sha256:" + Zeros[1..], "submit", "Sha256", "not a hash" },
        { "k", "sha256:" + Zeros + "0", "submit", "Sha256", "not a hash" },
        { "k", "sha256:" + Zeros[1..] + "g", "submit", "Sha256", "not a hash" },
        { "k", "sha256:" + Zeros[1..] + "A", "submit", "Sha256", "not a hash" },
        { "k", "SHA256:" + Zeros, "submit", "Sha256", "not a hash" },
        { "k", "sha256:" + Zeros + " ", "submit", "Sha256", "not a hash" },
        { "k", "the-key-itself", "submit", "Sha256", "not a hash" },
        { "k", "sha256:" + Zeros, "admin", "Scopes:0", "unknown scope 'admin'" },
        { "k", "sha256:" + Zeros, null, "Scopes", "has no scope" },
    };

    [Theory]
    [MemberData(nameof(MalformedEntries))]
    public void A_malformed_entry_is_refused_naming_the_setting_and_the_reason(string? name, string? sha256, string? scope, string setting, string reason)
    {
        var (key, problem) = ApiKeyRing.Read(name, sha256, scope is null ? [] : [scope]);
        var failure = Assert.Throws<ArgumentException>(() => ApiKeyRing.Parse(name, sha256, scope is null ? [] : [scope]));

        Assert.Null(key);
        Assert.Equal(setting, problem?.Setting);
        Assert.Contains(reason, problem!.Reason, StringComparison.Ordinal);
        Assert.StartsWith(setting + ": ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_scope_is_named_by_its_position()
    {
        var (_, problem) = ApiKeyRing.Read("k", "sha256:" + Zeros, ["read", "submit", "write"]);

        Assert.Equal("Scopes:2", problem?.Setting);
    }

    [Fact]
    public void A_refusal_never_repeats_the_value_it_refuses()
    {
        const string Key = "nps_4Gq0ETkvXN3YUCvSJ8Bq0Rk2yfVhFzvWc9hZ9MFwK3A";
        string[] values = [Key, Key[..^1] + "!", Zeros.Replace('0', '7'), "sha256:" + Zeros.Replace('0', '7')[1..], "the-key-itself"];

        foreach (var value in values)
        {
            var (_, problem) = ApiKeyRing.Read("k", value, ["read"]);
            Assert.NotNull(problem);
            Assert.DoesNotContain(value, problem.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(value[..12], problem.Reason, StringComparison.Ordinal);
        }
    }

    private static string Base64(string base64Url)
    {
        var padded = new StringBuilder(base64Url.Replace('-', '+').Replace('_', '/'));
        while (padded.Length % 4 != 0)
        {
            padded.Append('=');
        }

        return padded.ToString();
    }
}
