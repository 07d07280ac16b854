using System.Diagnostics;
using System.Security.Cryptography;
using NpsGrpc.Core.Security;

namespace NpsGrpc.Core.Tests.Security;

public sealed class ApiKeyRingTests
{
    private static readonly ApiKeyRing Ring = new(
    [
        ApiKeyRing.Parse("ingest", ApiKeyRing.HashOf("key-one"), ["submit"]),
        ApiKeyRing.Parse("dashboard", ApiKeyRing.HashOf("key-two"), ["read"]),
        ApiKeyRing.Parse("operator", ApiKeyRing.HashOf("key-three").ToUpperInvariant(), ["read", "submit", "read"]),
    ]);

    [Fact]
    public void HashOf_prints_what_sha256sum_prints_for_the_same_key()
    {
        using var sha256sum = Process.Start(new ProcessStartInfo("bash", ["-c", "printf %s 'key-one' | sha256sum | cut -c1-64"]) { RedirectStandardOutput = true })!;
        var printed = sha256sum.StandardOutput.ReadToEnd().Trim();
        sha256sum.WaitForExit();

        Assert.Equal(printed, ApiKeyRing.HashOf("key-one"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("key-one"u8)), printed);
    }

    [Theory]
    [InlineData("key-one", "ingest")]
    [InlineData("key-two", "dashboard")]
    [InlineData("key-three", "operator")]
    public void A_configured_key_finds_its_own_entry(string presented, string name) =>
        Assert.Equal(name, Ring.Find(presented)?.Name);

    [Theory]
    [InlineData("")]
    [InlineData("key-on")]
    [InlineData("key-one ")]
    [InlineData("KEY-ONE")]
    [InlineData("5f0f4ad2c6b11f5e0a6bd0e9b5d3f2de0f8a7d6bfa3d4c3f2e1a0b9c8d7e6f50")]
    public void Anything_else_finds_nothing(string presented) => Assert.Null(Ring.Find(presented));

    [Fact]
    public void The_hash_of_a_key_is_not_accepted_as_the_key() => Assert.Null(Ring.Find(ApiKeyRing.HashOf("key-one")));

    [Fact]
    public void Scopes_are_kept_once_each() =>
        Assert.Equal(["read", "submit"], Ring.Find("key-three")!.Scopes.Order(StringComparer.Ordinal));

    [Fact]
    public void An_empty_ring_says_so() => Assert.True(new ApiKeyRing([]).IsEmpty);

    [Theory]
    [InlineData(null, "0000000000000000000000000000000000000000000000000000000000000000", "submit", "needs a Name")]
    [InlineData("k", "key-pasted-instead-of-hash", "submit", "64 hex digits")]
    [InlineData("k", "000000000000000000000000000000000000000000000000000000000000000", "submit", "64 hex digits")]
    [InlineData("k", "000000000000000000000000000000000000000000000000000000000000000g", "submit", "64 hex digits")]
    [InlineData("k", "0000000000000000000000000000000000000000000000000000000000000000", "admin", "unknown scope 'admin'")]
    [InlineData("k", "0000000000000000000000000000000000000000000000000000000000000000", null, "has no Scopes")]
    public void A_malformed_entry_is_refused_with_the_reason(string? name, string sha256, string? scope, string reason)
    {
        var failure = Assert.Throws<ArgumentException>(() => ApiKeyRing.Parse(name, sha256, scope is null ? [] : [scope]));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }
}
