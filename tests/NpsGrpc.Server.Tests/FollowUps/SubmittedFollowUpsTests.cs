using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>The closed loop end to end: answers submitted with SubmitResponses reach the follow-up workers, whose acknowledgements ListResponses shows.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class SubmittedFollowUpsTests(ScoringServerFixture fixture)
{
    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task Every_detractor_submitted_reaches_a_worker_of_the_detractor_group_and_commented_promoters_reach_the_praise_group()
    {
        var product = UniqueProduct("loop");
        await using var care = FollowUpWorker.Start(Client, "care", "w1", product);
        await using var praise = FollowUpWorker.Start(Client, new StreamFollowUpsRequest
        {
            Group = "praise", Consumer = "w1", ProductIds = { product }, Categories = { ScoreCategory.Promoter }, OnlyWithComment = true,
        });
        await care.WaitUntilOpenAsync();
        await praise.WaitUntilOpenAsync();
        var batch = Batch(
        [
            Answer(product, 2).By("hana").Saying("Trop lent", "fr"),
            Answer(product, 6),
            Answer(product, 10).Saying("love it"),
            Answer(product, 9),
            Answer(product, 8).Saying("fine"),
            Answer(product, 0).Saying("support never answers"),
        ], "loop-writer", 1);

        await SubmissionStream.SubmitAllAsync(Client, batch);
        var detractors = await care.TakeAsync(3);
        var promoters = await praise.TakeAsync(1);
        var resent = await SubmissionStream.SubmitAllAsync(Client, batch);

        Assert.Equal(
            [(0, "support never answers", string.Empty), (2, "Trop lent", "hana"), (6, string.Empty, string.Empty)],
            detractors.Select(delivery => (delivery.Record.Score, delivery.Record.Comment, delivery.Record.RespondentId)).Order());
        Assert.Equal("love it", promoters.Single().Record.Comment);
        Assert.True(resent.Single().Duplicate);
        Assert.Empty(await care.TakeWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.Empty(await praise.TakeWithinAsync(TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public async Task An_acknowledgement_shows_in_ListResponses_as_the_records_follow_up_by_that_group()
    {
        var product = UniqueProduct("loop-ack");
        await using var worker = FollowUpWorker.Start(Client, "care", "w7", product);
        await worker.WaitUntilOpenAsync();
        await SubmissionStream.SubmitAllAsync(Client, Batch([Answer(product, 1).Saying("broken")]));
        var delivery = (await worker.TakeAsync(1)).Single();
        var before = DateTimeOffset.UtcNow;

        await Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.NotReached, Note = "voicemail" } },
        });

        var record = (await Client.ListResponsesAsync(new ListResponsesRequest { ProductId = product })).Records.Single();
        Assert.Equal(delivery.Record.RecordId, record.RecordId);
        var result = record.FollowUps.Single();
        Assert.Equal(("care", "w7", FollowUpOutcome.NotReached, "voicemail"), (result.Group, result.Consumer, result.Outcome, result.Note));
        Assert.InRange(result.DoneTime.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("broken", record.Comment);
    }

    [Fact]
    public async Task A_watching_idle_worker_gets_a_submitted_detractor_within_one_and_a_half_seconds()
    {
        var product = UniqueProduct("loop-latency");
        await using var worker = FollowUpWorker.Start(Client, "care", "w1", product);
        await worker.WaitUntilOpenAsync();
        // Idle long enough for the polls to back off to their longest pause.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var submitted = DateTimeOffset.UtcNow;
        await SubmissionStream.SubmitAllAsync(Client, Batch([Answer(product, 4)]));
        await worker.TakeAsync(1, TimeSpan.FromSeconds(1.5));

        Assert.InRange(DateTimeOffset.UtcNow - submitted, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Records_erased_by_DeleteRespondentRecords_are_no_longer_delivered_nor_acknowledgeable()
    {
        var product = UniqueProduct("loop-erase");
        var request = new StreamFollowUpsRequest { Group = "care", Consumer = "w1", ProductIds = { product }, MaxOutstanding = 1 };
        await using var worker = FollowUpWorker.Start(Client, request);
        await worker.WaitUntilOpenAsync();
        // Recorded in this order: ola's first answer (replaced by her second), her second, then kim's.
        await SubmissionStream.SubmitAllAsync(Client, Batch([Answer(product, 1).By("ola")]));
        await SubmissionStream.SubmitAllAsync(Client, Batch([Answer(product, 3).By("ola")]));
        await SubmissionStream.SubmitAllAsync(Client, Batch([Answer(product, 2).By("kim")]));
        var held = (await worker.TakeAsync(1)).Single();

        await Client.DeleteRespondentRecordsAsync(new DeleteRespondentRecordsRequest { RespondentId = "ola", ProductIds = { product } });
        var ack = await worker.AcknowledgeAsync(held);
        var next = await worker.TakeAsync(1);

        Assert.Equal("ola", held.Record.RespondentId);
        Assert.Equal(AcknowledgementProblem.Unknown, ack.Exceptions.Single().Problem);
        Assert.Equal("kim", next.Single().Record.RespondentId);
        await worker.AcknowledgeAsync([.. next]);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
    }
}
