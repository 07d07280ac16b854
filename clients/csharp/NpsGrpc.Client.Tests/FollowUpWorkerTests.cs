using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NpsGrpc.V1;
using Xunit.Abstractions;

namespace NpsGrpc.Client.Tests;

/// <summary>
/// The FollowUpWorker example against the live server: it must hand every detractor of its group to its handler
/// and acknowledge it, also when its connection is cut while it works, and over TLS with an API key against the TLS
/// twin; what the server says afterwards (GetFollowUpBacklog, ListResponses) is the proof. A wrong key ends it.
/// </summary>
public sealed class FollowUpWorkerTests(ITestOutputHelper output)
{
    private const string Consumer = "worker-1";

    [Fact(Timeout = 90_000)]
    public async Task The_worker_acknowledges_every_detractor_of_its_group_and_the_backlog_shows_them_done()
    {
        var product = LiveServer.UniqueProduct("worker");
        var group = NewGroup();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var writer = new NpsWriter(LiveServer.Client))
        {
            for (var i = 0; i < 5; i++)
            {
                await writer.AddAsync(product, i, null, $"Slow checkout, try {i}");
            }

            await writer.AddAsync(product, 6); // a detractor who wrote nothing is followed up too
            await writer.AddAsync(product, 10, null, "Love it"); // recorded for its comment, not the group's category
            await writer.AddAsync(product, 8);
        }

        using var worker = new WorkerProcess(WorkerArguments(LiveServer.Address, group, product, start, maxRecords: 6));
        var exitCode = await worker.ExitCodeAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(worker.Output);

        Assert.Equal(0, exitCode);
        Assert.Contains("handled 6 records", worker.Lines);
        Assert.Contains(worker.Lines, l => l.StartsWith($"record {product}/", StringComparison.Ordinal) && l.EndsWith(": Slow checkout, try 3", StringComparison.Ordinal));
        await AssertAllDoneAsync(worker, product, group, 6);
        var promoter = Assert.Single(await LiveServer.RecordsAsync(product), r => r.Score == 10);
        Assert.Empty(promoter.FollowUps);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_worker_whose_connection_is_cut_twice_resumes_and_every_record_ends_acknowledged()
    {
        const int Wave = 10;
        var product = LiveServer.UniqueProduct("worker-drop");
        var group = NewGroup();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await SubmitDetractorsAsync(product, 0, Wave);
        await using var proxy = new TcpProxy(LiveServer.Address);
        // One delivery outstanding at a time: the worker is always in the middle of something when the cut comes.
        using var worker = new WorkerProcess([.. WorkerArguments(proxy.Address, group, product, start, maxRecords: 2 * Wave), "--max-outstanding", "1"]);

        await LiveServer.WaitUntilAsync(() => worker.Acknowledged.Count >= 3, "the worker acknowledged three records");
        // Hold back what the server sends next (a delivery, or the answer to an acknowledgement) and cut: the server
        // holds a lease the worker never saw, or took an acknowledgement the worker must retry.
        proxy.HoldServerBytes();
        await LiveServer.WaitUntilAsync(() => proxy.IsHoldingServerBytes, "the proxy held the server's next bytes");
        proxy.DropAll();
        await LiveServer.WaitUntilAsync(() => worker.Lines.Count(l => l.StartsWith("watching ", StringComparison.Ordinal)) >= 2, "the worker reconnected");
        await SubmitDetractorsAsync(product, Wave, Wave); // recorded while the worker resumes
        await LiveServer.WaitUntilAsync(() => worker.Acknowledged.Distinct().Count() >= Wave + 3, "the worker reached the second wave");
        proxy.DropAll();
        var exitCode = await worker.ExitCodeAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(worker.Output);

        Assert.Equal(0, exitCode);
        Assert.Contains(worker.Lines, l => l.StartsWith("stream lost (", StringComparison.Ordinal));
        Assert.True(proxy.AcceptedConnections >= 2, $"the proxy accepted {proxy.AcceptedConnections} connections");
        await AssertAllDoneAsync(worker, product, group, 2 * Wave);
    }

    [Fact(Timeout = 90_000)]
    public async Task Over_tls_with_a_follow_up_key_the_worker_acknowledges_exactly_the_detractors_of_its_group()
    {
        var product = LiveServer.UniqueProduct("worker-tls");
        var group = NewGroup();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var writer = new NpsWriter(LiveServer.Client))
        {
            for (var i = 0; i < 3; i++)
            {
                await writer.AddAsync(product, 2 * i, null, $"Too expensive, take {i}");
            }

            await writer.AddAsync(product, 9, null, "Fast and friendly"); // recorded for its comment, not followed up
            await writer.AddAsync(product, 7);
        }

        // As the README runs it against a production server: https:// address, the CA file, the key in NPS_API_KEY.
        var (address, certificate, _) = LiveServer.Secure;
        using var worker = new WorkerProcess(
            LiveServer.SecureFollowUpApiKey, [.. WorkerArguments("https://" + address, group, product, start, maxRecords: 3), "--ca-file", certificate]);
        var exitCode = await worker.ExitCodeAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(worker.Output);

        Assert.Equal(0, exitCode);
        Assert.Contains("handled 3 records", worker.Lines);
        await AssertAllDoneAsync(worker, product, group, 3);
        var promoter = Assert.Single(await LiveServer.RecordsAsync(product), r => r.Score == 9);
        Assert.Empty(promoter.FollowUps);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("none", "UNAUTHENTICATED", "needs an API key")]
    [InlineData("unknown", "UNAUTHENTICATED", "The API key is not valid")]
    [InlineData("without the follow_up scope", "PERMISSION_DENIED", "it lacks the 'follow_up' scope")]
    public async Task With_a_wrong_api_key_the_worker_exits_1_naming_the_status_instead_of_retrying(string key, string status, string detail)
    {
        var (address, certificate, submitAndReadKey) = LiveServer.Secure;
        var apiKey = key switch
        {
            "none" => null,
            "unknown" => "nps_" + Guid.NewGuid().ToString("N"), // a key the server does not know
            _ => submitAndReadKey,
        };
        var group = NewGroup();
        using var worker = new WorkerProcess(
            apiKey, [.. WorkerArguments("https://" + address, group, LiveServer.UniqueProduct("worker-key"), DateTimeOffset.UtcNow, maxRecords: 1), "--ca-file", certificate]);
        var exitCode = await worker.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine(worker.Output);

        Assert.Equal(1, exitCode);
        Assert.Contains(worker.Lines, l => l.StartsWith($"stderr: follow-up stream refused: {status}: ", StringComparison.Ordinal) && l.Contains(detail, StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Lines, l => l.StartsWith("stream lost", StringComparison.Ordinal)); // not taken for a lost connection
    }

    [Fact(Timeout = 60_000)]
    public async Task With_a_ca_file_that_did_not_sign_the_servers_certificate_the_worker_exits_1_saying_so_instead_of_retrying()
    {
        var (address, _, _) = LiveServer.Secure;
        var directory = Directory.CreateTempSubdirectory("nps-wrong-ca-");
        try
        {
            // A CA of its own: valid, but not the one that signed the live server's certificate.
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=not-the-server-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var otherCa = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            var caFile = Path.Combine(directory.FullName, "other-ca.pem");
            await File.WriteAllTextAsync(caFile, otherCa.ExportCertificatePem());

            using var worker = new WorkerProcess(
                LiveServer.SecureFollowUpApiKey, [.. WorkerArguments("https://" + address, NewGroup(), LiveServer.UniqueProduct("worker-ca"), DateTimeOffset.UtcNow, maxRecords: 1), "--ca-file", caFile]);
            var exitCode = await worker.ExitCodeAsync(TimeSpan.FromSeconds(30));
            output.WriteLine(worker.Output);

            Assert.Equal(1, exitCode);
            Assert.Contains(worker.Lines, l => l.StartsWith($"stderr: the server's certificate was not verified against the CA file given (--ca-file {caFile}): ", StringComparison.Ordinal));
            Assert.DoesNotContain(worker.Lines, l => l.StartsWith("stream lost", StringComparison.Ordinal)); // not taken for a lost connection
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string[] WorkerArguments(string address, string group, string product, DateTimeOffset start, int maxRecords) =>
    [
        "--address", address, "--group", group, "--consumer", Consumer, "--product", product,
        "--max-records", maxRecords.ToString(CultureInfo.InvariantCulture), "--start-time", start.ToString("O", CultureInfo.InvariantCulture),
    ];

    private static async Task SubmitDetractorsAsync(string product, int first, int count)
    {
        await using var writer = new NpsWriter(LiveServer.Client);
        for (var i = first; i < first + count; i++)
        {
            await writer.AddAsync(product, i % 7, null, $"Detractor {i}: the app crashed");
        }
    }

    private static string NewGroup() => "csharp-team-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The server's view: nothing waits or is in progress, every detractor is done by this worker as contacted; and
    /// the worker says it acknowledged exactly those.
    /// </summary>
    private static async Task AssertAllDoneAsync(WorkerProcess worker, string product, string group, int count)
    {
        var detractors = (await LiveServer.RecordsAsync(product)).Where(r => r.Category == ScoreCategory.Detractor).Select(r => $"{product}/{r.RecordId}").ToList();
        Assert.Equal(count, detractors.Count);
        Assert.Equal(detractors.Order(), worker.Acknowledged.Distinct().Order());
        var backlog = Assert.Single((await LiveServer.Client.GetFollowUpBacklogAsync(new GetFollowUpBacklogRequest { Group = group, ProductIds = { product } })).Backlogs);
        Assert.Equal((product, 0L, 0L, (long)count), (backlog.ProductId, backlog.WaitingCount, backlog.InProgressCount, backlog.DoneCount));
        Assert.Equal(count, backlog.DoneInIntervalCount);
        Assert.NotNull(backlog.MedianTimeToDone);
        foreach (var record in (await LiveServer.RecordsAsync(product)).Where(r => r.Category == ScoreCategory.Detractor))
        {
            Assert.Contains(record.FollowUps, f => (f.Group, f.Consumer, f.Outcome, f.Note) == (group, Consumer, FollowUpOutcome.Contacted, "called back by " + Consumer));
        }
    }
}
