using Grpc.Core;
using Grpc.Net.Client;
using NpsGrpc.V1;
using Xunit.Abstractions;

namespace NpsGrpc.Client.Tests;

/// <summary>
/// NpsWriter against the live server: totals are always read back from the server itself. The writer retries an
/// unreachable server for ever, so every test has a timeout that turns a dead server into a failure, not a hang.
/// </summary>
public sealed class NpsWriterTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task Happy_path_counts_every_response_of_several_products_exactly()
    {
        var products = Enumerable.Range(0, 3).Select(i => LiveServer.UniqueProduct($"happy{i}")).ToArray();
        var expected = products.ToDictionary(p => p, _ => new long[11]);
        var writer = new NpsWriter(LiveServer.Client, new NpsWriterOptions { MaxBatchSize = 100 });
        await using (writer)
        {
            for (var i = 0; i < 1234; i++)
            {
                var product = products[i % products.Length];
                var score = (i * 7 + (i / 3)) % 11;
                await writer.AddAsync(product, score, new Dictionary<string, string> { ["plan"] = i % 2 == 0 ? "pro" : "free" });
                expected[product][score]++;
            }
        }

        Assert.Equal(1234, writer.AcceptedCount);
        Assert.Equal(0, writer.RejectedCount);
        Assert.True(writer.AcknowledgedBatches >= 13, $"1234 responses in batches of at most 100 need 13 batches; {writer.AcknowledgedBatches} were acknowledged");
        foreach (var product in products)
        {
            var score = await LiveServer.ScoreAsync(product);
            Assert.Equal(expected[product], score.Distribution);
            Assert.Equal(expected[product].Sum(), score.Total);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Rejections_are_raised_with_the_response_index_field_and_reason_while_the_rest_counts()
    {
        var product = LiveServer.UniqueProduct("rejections");
        var rejections = new List<NpsRejectedEventArgs>();
        await using var writer = new NpsWriter(LiveServer.Client, new NpsWriterOptions { MaxBatchSize = 10 });
        writer.Rejected += (_, rejection) => rejections.Add(rejection);

        await writer.AddAsync(product, 10);
        await writer.AddAsync(product, 11);
        await writer.AddAsync("not a valid id", 5);
        await writer.AddAsync(product, 2);
        await writer.FlushAsync();

        Assert.Equal(2, writer.AcceptedCount);
        Assert.Equal(2, writer.RejectedCount);
        Assert.Collection(
            rejections,
            r =>
            {
                Assert.Equal((1, "responses[1].score", RejectionReason.ScoreOutOfRange), (r.Index, r.Field, r.Reason));
                Assert.Equal(11, r.Response.Score);
                Assert.NotEmpty(r.Description);
            },
            r =>
            {
                Assert.Equal((2, "responses[2].product_id", RejectionReason.InvalidProductId), (r.Index, r.Field, r.Reason));
                Assert.Equal("not a valid id", r.Response.ProductId);
            });
        Assert.Equal(rejections[0].Sequence, rejections[1].Sequence);
        var score = await LiveServer.ScoreAsync(product);
        Assert.Equal(2, score.Total);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_partial_batch_is_sent_after_MaxBatchDelay_without_a_flush()
    {
        var product = LiveServer.UniqueProduct("delay");
        await using var writer = new NpsWriter(
            LiveServer.Client, new NpsWriterOptions { MaxBatchSize = 1000, MaxBatchDelay = TimeSpan.FromMilliseconds(50) });

        await writer.AddAsync(product, 9);
        await writer.AddAsync(product, 6);
        await LiveServer.WaitUntilAsync(() => writer.AcknowledgedBatches == 1, "the timer sent the partial batch");

        Assert.Equal(2, (await LiveServer.ScoreAsync(product)).Total);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_comment_and_its_language_are_kept_in_the_record_of_the_response()
    {
        var product = LiveServer.UniqueProduct("comment");
        await using (var writer = new NpsWriter(LiveServer.Client))
        {
            await writer.AddAsync(product, 2, new Dictionary<string, string> { ["region"] = "eu" }, "Support never called back");
            await writer.AddAsync(product, 10, null, "Livraison rapide, merci", "fr");
            await writer.AddAsync(product, 8); // a passive without a comment: counted, not recorded
        }

        var records = await LiveServer.RecordsAsync(product);

        Assert.Equal(3, (await LiveServer.ScoreAsync(product)).Total);
        Assert.Collection(
            records.OrderBy(r => r.Score),
            r => Assert.Equal((2, "Support never called back", "en", "eu"), (r.Score, r.Comment, r.LanguageCode, r.Segments["region"])),
            r => Assert.Equal((10, "Livraison rapide, merci", "fr"), (r.Score, r.Comment, r.LanguageCode)));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_restarted_writer_with_the_same_id_and_sequence_counts_nothing_twice()
    {
        var product = LiveServer.UniqueProduct("restart");
        var options = new NpsWriterOptions { WriterId = "csharp-restart-" + Guid.NewGuid().ToString("N"), InitialSequence = 7 };
        for (var run = 0; run < 2; run++)
        {
            await using var writer = new NpsWriter(LiveServer.Client, options);
            await writer.AddAsync(product, 10);
            await writer.AddAsync(product, 1);
            await writer.FlushAsync();
            Assert.Equal(run, writer.DuplicateBatches);
            Assert.Equal(2, writer.AcceptedCount);
        }

        Assert.Equal(2, (await LiveServer.ScoreAsync(product)).Total);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_non_retriable_status_is_thrown_from_FlushAsync_and_not_retried()
    {
        // The server, not the client, validates writer ids: this one has a space, so the stream ends INVALID_ARGUMENT.
        var writer = new NpsWriter(LiveServer.Client, new NpsWriterOptions { WriterId = "not valid" });
        await writer.AddAsync(LiveServer.UniqueProduct("invalid"), 5);

        var error = await Assert.ThrowsAsync<RpcException>(() => writer.FlushAsync());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(0, writer.Reconnects);
        Assert.Equal(0, writer.AcknowledgedBatches);
        await Assert.ThrowsAsync<RpcException>(async () => await writer.AddAsync("p", 1));
        await writer.DisposeAsync(); // Already surfaced: disposing does not throw it again.
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unreachable_server_is_retried_until_CloseAsync_is_cancelled()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var channel = GrpcChannel.ForAddress(LiveServer.Uri($"127.0.0.1:{closedPort}"));
        var writer = new NpsWriter(new NpsService.NpsServiceClient(channel), new NpsWriterOptions
        {
            MinReconnectDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(20),
        });
        await writer.AddAsync(LiveServer.UniqueProduct("unreachable"), 7);

        // A refused connection is retriable: the writer keeps trying until the caller gives up.
        await LiveServer.WaitUntilAsync(() => writer.Reconnects >= 3, "the writer retried three times");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.CloseAsync(giveUp.Token));

        Assert.Equal(0, writer.AcknowledgedBatches);
        await writer.DisposeAsync(); // The cancellation was the report: disposing afterwards is quiet.
    }

    [Fact(Timeout = 30_000)]
    public async Task Dropped_connections_in_the_middle_of_the_stream_lose_nothing_and_count_nothing_twice()
    {
        const int Total = 6000, InFlight = 8;
        var products = Enumerable.Range(0, 6).Select(i => LiveServer.UniqueProduct($"drop{i}")).ToArray();
        var expected = products.ToDictionary(p => p, _ => new long[11]);
        await using var proxy = new TcpProxy(LiveServer.Address);
        using var channel = GrpcChannel.ForAddress(LiveServer.Uri(proxy.Address));
        var writer = new NpsWriter(new NpsService.NpsServiceClient(channel), new NpsWriterOptions
        {
            MaxBatchSize = 50,
            MaxInFlightBatches = InFlight,
            MinReconnectDelay = TimeSpan.FromMilliseconds(20),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        });

        var producing = Task.Run(async () =>
        {
            for (var i = 0; i < Total; i++)
            {
                var product = products[i % products.Length];
                var score = (i * 5 + (i / 11)) % 11;
                await writer.AddAsync(product, score);
                expected[product][score]++;
            }
        });

        foreach (var progress in new[] { 20, 60 })
        {
            await LiveServer.WaitUntilAsync(() => writer.AcknowledgedBatches >= progress, $"{progress} batches were acknowledged");
            // Hold the acks back until the whole window is sent and the proxy sits on acks, then cut: the server
            // applied some of those batches, and the writer cannot know which.
            proxy.HoldServerBytes();
            await LiveServer.WaitUntilAsync(
                () => writer.InFlightBatches == InFlight && proxy.IsHoldingServerBytes, "the window was full and acks were held back");
            var (inFlight, acknowledged) = (writer.InFlightBatches, writer.AcknowledgedBatches);
            proxy.DropAll();
            output.WriteLine($"cut every connection with {inFlight} batches in flight, {acknowledged} acknowledged");
        }

        await producing;
        await writer.DisposeAsync();

        output.WriteLine(
            $"accepted={writer.AcceptedCount} batches={writer.AcknowledgedBatches} reconnects={writer.Reconnects} " +
            $"resent={writer.ResentBatches} duplicates={writer.DuplicateBatches} proxy connections={proxy.AcceptedConnections}");
        Assert.True(writer.Reconnects >= 2, $"the writer reconnected {writer.Reconnects} times");
        Assert.True(proxy.AcceptedConnections >= 3, $"the proxy accepted {proxy.AcceptedConnections} connections");
        // At least the batch of each held ack was unacknowledged at its cut (usually the whole window).
        Assert.True(writer.ResentBatches >= 2, $"the writer re-sent {writer.ResentBatches} batches");
        // The held acks prove the server had applied those batches: their re-sends must have come back duplicates.
        Assert.True(writer.DuplicateBatches >= 2, $"{writer.DuplicateBatches} re-sent batches were acknowledged as duplicates");
        Assert.Equal(Total, writer.AcceptedCount);
        Assert.Equal(0, writer.RejectedCount);
        foreach (var product in products)
        {
            var score = await LiveServer.ScoreAsync(product);
            Assert.Equal(expected[product], score.Distribution);
            Assert.Equal(Total / products.Length, score.Total);
        }
    }
}
