using System.Globalization;
using NpsGrpc.Redis;
using NpsGrpc.Testing;
using StackExchange.Redis;

namespace NpsGrpc.Server.Tests.Faults;

/// <summary>Which Redis failures the server answers UNAVAILABLE (the client re-sends) and which are bugs or foreign data.</summary>
public sealed class RedisFailuresTests
{
    [Theory]
    [InlineData("Key has MOVED to Endpoint 127.0.0.1:42079 and hashslot 14597 but CommandFlags.NoRedirect was specified - redirect not followed for HMGET nps:{p}:r:a. ")]
    [InlineData("Key has MOVED but CommandFlags.NoRedirect was specified - redirect not followed. ")]
    [InlineData("READONLY You can't write against a read only replica.")]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")]
    [InlineData("CLUSTERDOWN The cluster is down")]
    public void A_reply_a_failover_or_a_restart_gives_is_unavailable(string reply) =>
        Assert.True(RedisFailures.IsUnavailable(Reply(reply)));

    [Theory]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData("ERR value is not an integer or out of range")]
    [InlineData("NOSCRIPT No matching script. Please use EVAL.")]
    public void A_reply_of_foreign_data_or_a_bug_is_not_unavailable(string reply) =>
        Assert.False(RedisFailures.IsUnavailable(Reply(reply)));

    [Fact]
    public void A_lost_connection_and_a_timeout_are_unavailable_and_so_is_a_batch_of_them()
    {
        var lost = new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "SocketFailure on 127.0.0.1:6379", null, CommandStatus.Sent);
        var slow = new RedisTimeoutException(CommandFlags.None, "Timeout awaiting response", CommandStatus.Sent);
        Assert.True(RedisFailures.IsUnavailable(lost));
        Assert.True(RedisFailures.IsUnavailable(slow));
        Assert.True(RedisFailures.IsUnavailable(new AggregateException(lost, slow)));
        Assert.False(RedisFailures.IsUnavailable(new AggregateException(lost, Reply("WRONGTYPE Operation"))));
    }

    [Fact]
    public async Task A_WAIT_answered_by_a_node_that_has_become_a_replica_is_unavailable()
    {
        // A failover can turn the node a write went to into a replica before the WAIT that confirms the write reaches
        // it: whether the write survived is then unknown, so the client must send the batch again.
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync(options: new RedisServerOptions
        {
            Arguments = _ => ["--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture)],
        });
        await using var redis = await ConnectionMultiplexer.ConnectAsync(replica.ClientOptions());

        var e = await Assert.ThrowsAnyAsync<Exception>(() => redis.GetServer("127.0.0.1", replica.Port).ExecuteAsync("WAIT", 1, 100));

        Assert.True(RedisFailures.IsUnavailable(e), $"{e.GetType().Name}: {e.Message}");
    }

    private static RedisServerException Reply(string message) => new(RedisErrorKind.Unknown, CommandFlags.None, message);
}
