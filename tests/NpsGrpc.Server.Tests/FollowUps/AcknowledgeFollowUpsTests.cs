using Grpc.Core;
using NpsGrpc.Server.Tests.Support;
using NpsGrpc.V1;
using static NpsGrpc.Server.Tests.Support.Responses;

namespace NpsGrpc.Server.Tests.FollowUps;

/// <summary>AcknowledgeFollowUps: what is kept with the record, what is an exception, and what is refused.</summary>
[Collection(ScoringServerCollection.Name)]
public sealed class AcknowledgeFollowUpsTests(ScoringServerFixture fixture)
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private NpsService.NpsServiceClient Client => fixture.Client;

    [Fact]
    public async Task An_acknowledgement_keeps_the_outcome_and_the_note_with_the_record_and_the_record_is_not_delivered_again()
    {
        var product = UniqueProduct("ack-kept");
        var (worker, delivery) = await OneDeliveryAsync(product);
        await using var _ = worker;

        var before = DateTimeOffset.UtcNow;
        var response = await Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Resolved, Note = "Called back; refund sent.\nAll good." } },
        });

        Assert.Empty(response.Exceptions);
        var record = await FollowUpRecords.ReadAsync(await fixture.Redis.AdminAsync(), product, delivery.Record.RecordId);
        var result = Assert.Single(record["f"]!.AsArray())!.AsObject();
        Assert.Equal(("care", "w1", 2, "Called back; refund sent.\nAll good."), ((string)result["g"]!, (string)result["w"]!, (int)result["o"]!, (string)result["n"]!));
        Assert.InRange(long.Parse((string)result["d"]!, System.Globalization.CultureInfo.InvariantCulture), before.ToUnixTimeMilliseconds() - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        Assert.Equal("Ça rame", (string)record["c"]!);
        Assert.Empty(await worker.TakeWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Acknowledging_again_answers_the_same_and_changes_nothing()
    {
        var product = UniqueProduct("ack-again");
        var (worker, delivery) = await OneDeliveryAsync(product);
        await using var _ = worker;
        var request = new AcknowledgeFollowUpsRequest
        {
            Acknowledgements =
            {
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted, Note = "first" },
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted, Note = "first" },
            },
        };

        var first = await Client.AcknowledgeFollowUpsAsync(request);
        var second = await Client.AcknowledgeFollowUpsAsync(request);

        Assert.Empty(first.Exceptions);
        Assert.Empty(second.Exceptions);
        var db = await fixture.Redis.AdminAsync();
        Assert.Single((await FollowUpRecords.ReadAsync(db, product, delivery.Record.RecordId))["f"]!.AsArray());
        Assert.Equal(1, (long)await db.HashGetAsync($"nps:{{{product}}}:fuc", "care"));
        Assert.Equal(1, await db.SortedSetLengthAsync($"nps:{{{product}}}:fud:care"));
    }

    [Fact]
    public async Task Ack_ids_of_deliveries_that_do_not_exist_are_answered_as_unknown_exceptions_and_the_rest_is_taken()
    {
        var product = UniqueProduct("ack-unknown");
        var (worker, delivery) = await OneDeliveryAsync(product);
        await using var _ = worker;
        var otherProduct = UniqueProduct("ack-nogroup");
        string[] unknown =
        [
            AckIds.Make(product, "care", "1-0", "w1", 1),
            AckIds.Make(otherProduct, "care", "1-0", "w1", 1),
            AckIds.Make(product, "nobody", "1-0", "w1", 1),
        ];

        var response = await Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements =
            {
                unknown.Take(2).Select(id => new FollowUpAcknowledgement { AckId = id, Outcome = FollowUpOutcome.Contacted }),
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted },
                new FollowUpAcknowledgement { AckId = unknown[2], Outcome = FollowUpOutcome.Contacted },
            },
        });

        Assert.Equal(
            [(0, unknown[0]), (1, unknown[1]), (3, unknown[2])],
            response.Exceptions.Select(exception => (exception.Index, exception.AckId)));
        Assert.All(response.Exceptions, exception => Assert.Equal(AcknowledgementProblem.Unknown, exception.Problem));
        Assert.Single((await FollowUpRecords.ReadAsync(await fixture.Redis.AdminAsync(), product, delivery.Record.RecordId))["f"]!.AsArray());
    }

    [Fact]
    public async Task An_ack_id_rewritten_to_name_another_product_of_the_same_worker_is_unknown_and_takes_nothing_in_either()
    {
        var product = UniqueProduct("ack-own");
        var otherProduct = UniqueProduct("ack-other");
        await using var worker = FollowUpWorker.Start(Client, "care", "w1", product, otherProduct);
        await worker.WaitUntilOpenAsync();
        var db = await fixture.Redis.AdminAsync();
        await FollowUpRecords.AddAsync(db, otherProduct, new RecordToAdd(Noon, 2) { Comment = "other" });
        // Stream ids are milliseconds: a later millisecond gives the own record an id the other stream does not hold.
        await Task.Delay(5);
        await FollowUpRecords.AddAsync(db, product, new RecordToAdd(Noon, 3) { Comment = "own" });
        var deliveries = await worker.TakeAsync(2);
        var own = deliveries.Single(delivery => delivery.Record.ProductId == product);
        var forged = AckIds.WithProduct(own.AckId, otherProduct);

        var response = await Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { new FollowUpAcknowledgement { AckId = forged, Outcome = FollowUpOutcome.Resolved } },
        });

        Assert.Equal((0, forged, AcknowledgementProblem.Unknown), (Assert.Single(response.Exceptions).Index, response.Exceptions[0].AckId, response.Exceptions[0].Problem));
        Assert.Equal(1, (await db.StreamPendingAsync($"nps:{{{product}}}:fu", "care")).PendingMessageCount);
        Assert.Equal(1, (await db.StreamPendingAsync($"nps:{{{otherProduct}}}:fu", "care")).PendingMessageCount);
        foreach (var delivery in deliveries)
        {
            Assert.False((await FollowUpRecords.ReadAsync(db, delivery.Record.ProductId, delivery.Record.RecordId)).ContainsKey("f"));
        }
    }

    [Fact]
    public async Task Acknowledging_the_delivery_of_a_record_erased_meanwhile_answers_unknown()
    {
        var product = UniqueProduct("ack-erased");
        var (worker, delivery) = await OneDeliveryAsync(product);
        await using var _ = worker;
        var db = await fixture.Redis.AdminAsync();
        await db.HashDeleteAsync($"nps:{{{product}}}:rec", delivery.Record.RecordId);

        var response = await worker.AcknowledgeAsync(delivery);

        Assert.Equal(AcknowledgementProblem.Unknown, Assert.Single(response.Exceptions).Problem);
        Assert.Equal(0, (await db.StreamPendingAsync($"nps:{{{product}}}:fu", "care")).PendingMessageCount);
    }

    [Fact]
    public async Task Malformed_ack_ids_missing_outcomes_and_bad_notes_are_refused_with_the_fields_named_and_nothing_is_taken()
    {
        var product = UniqueProduct("ack-invalid");
        var (worker, delivery) = await OneDeliveryAsync(product);
        await using var _ = worker;

        var error = await Assert.ThrowsAsync<RpcException>(() => Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements =
            {
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted },
                new FollowUpAcknowledgement { AckId = "not-an-ack-id", Outcome = FollowUpOutcome.Contacted },
                new FollowUpAcknowledgement { AckId = delivery.AckId },
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted, Note = "bad\0note" },
                new FollowUpAcknowledgement { AckId = delivery.AckId, Outcome = FollowUpOutcome.Contacted, Note = new string('x', 2001) },
                new FollowUpAcknowledgement { AckId = string.Empty, Outcome = (FollowUpOutcome)42 },
            },
        }).ResponseAsync);

        var fields = StatusAssertions.FieldViolations(error);
        Assert.Equal(
            ["acknowledgements[1].ack_id", "acknowledgements[2].outcome", "acknowledgements[3].note", "acknowledgements[4].note", "acknowledgements[5].ack_id", "acknowledgements[5].outcome"],
            fields.Keys);
        Assert.Contains("U+0000", fields["acknowledgements[3].note"], StringComparison.Ordinal);
        Assert.Contains("2001", fields["acknowledgements[4].note"], StringComparison.Ordinal);
        Assert.False((await FollowUpRecords.ReadAsync(await fixture.Redis.AdminAsync(), product, delivery.Record.RecordId)).ContainsKey("f"));
    }

    [Fact]
    public async Task No_acknowledgements_or_more_than_a_thousand_are_refused()
    {
        var none = await Assert.ThrowsAsync<RpcException>(() => Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest()).ResponseAsync);
        var many = await Assert.ThrowsAsync<RpcException>(() => Client.AcknowledgeFollowUpsAsync(new AcknowledgeFollowUpsRequest
        {
            Acknowledgements = { Enumerable.Range(0, 1001).Select(_ => new FollowUpAcknowledgement { AckId = AckIds.Make("p", "g", "1-0", "c", 1), Outcome = FollowUpOutcome.Contacted }) },
        }).ResponseAsync);

        Assert.Contains("got 0", StatusAssertions.FieldViolations(none)["acknowledgements"], StringComparison.Ordinal);
        Assert.Contains("got 1001", StatusAssertions.FieldViolations(many)["acknowledgements"], StringComparison.Ordinal);
    }

    private async Task<(FollowUpWorker Worker, FollowUpDelivery Delivery)> OneDeliveryAsync(string product)
    {
        var worker = FollowUpWorker.Start(Client, "care", "w1", product);
        await worker.WaitUntilOpenAsync();
        await FollowUpRecords.AddAsync(await fixture.Redis.AdminAsync(), product, new RecordToAdd(Noon, 3) { Comment = "Ça rame" });
        return (worker, (await worker.TakeAsync(1)).Single());
    }
}
