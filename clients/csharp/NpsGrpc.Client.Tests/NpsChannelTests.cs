using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using NpsGrpc.V1;
using Xunit.Abstractions;

namespace NpsGrpc.Client.Tests;

/// <summary>NpsChannel with TLS, an API key and several instances, against the live server's TLS + API key twin.</summary>
public sealed class NpsChannelTests(ITestOutputHelper output)
{
    /// <summary>The README's channel to one or several instances with TLS and an API key.</summary>
    private static (GrpcChannel Channel, NpsService.NpsServiceClient Client) ProductionChannel(string[] addresses, string certificateFile, string apiKey)
    {
        // README: production
        var channel = NpsChannel.ForAddresses(
            addresses, // "https://host:port": one instance, or several to balance and fail over between
            new NpsChannelOptions
            {
                ApiKey = apiKey, // sent as "authorization: Bearer <key>" on every call
                // A private CA's certificate (PEM); leave it out to trust the system's CAs.
                TrustedCertificate = X509CertificateLoader.LoadCertificateFromFile(certificateFile),
            });
        var client = new NpsService.NpsServiceClient(channel);
        // README: end
        return (channel, client);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_production_channel_submits_and_reads_over_tls_with_an_api_key()
    {
        var (address, certificate, apiKey) = LiveServer.Secure;
        var (channel, client) = ProductionChannel(["https://" + address], certificate, apiKey);
        using var _ = channel;
        var product = LiveServer.UniqueProduct("tls");
        var writer = new NpsWriter(client);
        await using (writer)
        {
            foreach (var score in new[] { 10, 9, 3 })
            {
                await writer.AddAsync(product, score);
            }
        }

        var read = (await client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
        Assert.Equal((3L, 3L, 2L, 1L), (writer.AcceptedCount, read.Total, read.Promoters, read.Detractors));
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_the_api_key_the_server_answers_unauthenticated_and_the_writer_does_not_retry()
    {
        var (address, certificate, _) = LiveServer.Secure;
        using var channel = NpsChannel.ForAddress("https://" + address,
            new NpsChannelOptions { TrustedCertificate = X509CertificateLoader.LoadCertificateFromFile(certificate) });
        var client = new NpsService.NpsServiceClient(channel);

        var read = await Assert.ThrowsAsync<RpcException>(() => client.GetScoreAsync(new GetScoreRequest { ProductId = "anything" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, read.StatusCode);
        var writer = new NpsWriter(client);
        await writer.AddAsync(LiveServer.UniqueProduct("nokey"), 9);
        var flush = await Assert.ThrowsAsync<RpcException>(() => writer.FlushAsync());
        Assert.Equal(StatusCode.Unauthenticated, flush.StatusCode);
        Assert.Equal(0, writer.Reconnects);
        await writer.DisposeAsync();
    }

    [Fact]
    public void An_api_key_is_refused_for_plaintext_addresses_and_addresses_must_agree_on_tls()
    {
        Assert.Throws<ArgumentException>(() => NpsChannel.ForAddress(LiveServer.Address, new NpsChannelOptions { ApiKey = "secret" }));
        Assert.Throws<ArgumentException>(() => NpsChannel.ForAddresses(["https://127.0.0.1:1", "http://127.0.0.1:2"]));
        Assert.Throws<ArgumentException>(() => NpsChannel.ForAddresses([]));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_production_channel_fails_over_when_the_instance_carrying_the_writer_dies_and_the_totals_are_exact()
    {
        // Two TCP proxies in front of the TLS twin stand for two instances. While batches are in flight, the one
        // carrying the writer's stream (the one that forwarded more: nothing else is sending) is killed.
        var (address, certificate, apiKey) = LiveServer.Secure;
        var instances = new[] { new TcpProxy(address), new TcpProxy(address) };
        var survivor = instances[1];
        try
        {
            var (channel, client) = ProductionChannel(instances.Select(p => "https://" + p.Address).ToArray(), certificate, apiKey);
            using var _ = channel;
            var products = new[] { LiveServer.UniqueProduct("failover0"), LiveServer.UniqueProduct("failover1") };
            var expected = products.ToDictionary(p => p, _ => new long[11]);
            var writer = new NpsWriter(client, new NpsWriterOptions { MaxBatchSize = 50, MinReconnectDelay = TimeSpan.FromMilliseconds(20) });
            long survivorBytesAtKill = 0;
            await using (writer)
            {
                for (var i = 0; i < 4000; i++)
                {
                    if (i == 1500)
                    {
                        await LiveServer.WaitUntilAsync(() => writer.InFlightBatches > 0, "a batch is in flight");
                        var killed = instances.MaxBy(p => p.ForwardedClientBytes)!;
                        survivor = instances.Single(p => p != killed);
                        await killed.DisposeAsync();
                        survivorBytesAtKill = survivor.ForwardedClientBytes;
                    }

                    var product = products[i % 2];
                    var score = i * 3 % 11;
                    await writer.AddAsync(product, score);
                    expected[product][score]++;
                }
            }

            output.WriteLine($"{writer.AcknowledgedBatches} acknowledged, {writer.Reconnects} reconnects, {writer.ResentBatches} re-sent, {writer.DuplicateBatches} duplicates");
            Assert.InRange(writer.Reconnects, 1, 100);
            Assert.True(survivor.ForwardedClientBytes - survivorBytesAtKill > 10_000, "the surviving instance carried the rest");
            Assert.Equal(4000, writer.AcceptedCount);
            foreach (var product in products)
            {
                // Read through the same channel: only the survivor is left.
                var read = (await client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
                Assert.Equal(expected[product], read.Distribution);
            }
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
