using NpsGrpc.Core.Ingestion;
using NpsGrpc.Core.Scoring;
using NpsGrpc.Core.Storage;
using NpsGrpc.Core.Time;
using NpsGrpc.Core.Validation;

namespace NpsGrpc.Core.Tests.Ingestion;

public class IngestionCommitterTests
{
    [Fact]
    public async Task A_share_reaching_an_idle_lane_is_flushed_at_once_and_alone()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var applying = committer.ApplyAsync(Stamp("w", 1), Fold(Answer("p1", 9)), null);

        var flush = Assert.Single(store.Flushes);
        Assert.Equal("p1", flush.ProductId);
        Assert.Single(flush.Shares);
        flush.Complete();
        var outcome = await applying;
        Assert.Equal(1, outcome.AppliedProducts);
        Assert.Equal(0, committer.ActiveLanes);
    }

    [Fact]
    public async Task Shares_arriving_while_a_flush_is_in_the_store_go_together_in_the_next_flush_in_the_order_they_came()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var first = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var waiting = Enumerable.Range(0, 5).Select(i => committer.ApplyAsync(Stamp($"w{i}", 1), Fold(Answer("p1", i)), null)).ToList();

        Assert.Single(store.Flushes);
        store.Flushes[0].Complete();
        await first;
        var second = Assert.Single(store.Flushes, flush => flush != store.Flushes[0]);
        Assert.Equal(["w0", "w1", "w2", "w3", "w4"], second.Shares.Select(share => share.Writer!.Value.WriterId));
        second.Complete();
        Assert.All(await Task.WhenAll(waiting), outcome => Assert.Equal(1, outcome.AppliedProducts));
        Assert.Equal(2, store.Flushes.Count);
    }

    [Fact]
    public async Task A_flush_carries_at_most_the_bound_of_shares_and_the_rest_follow_in_the_next()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, new CommitBounds { MaxShares = 3 });

        var all = Enumerable.Range(0, 8).Select(i => committer.ApplyAsync(Stamp($"w{i}", 1), Fold(Answer("p1", 5)), null)).ToList();
        for (var flushed = 0; flushed < 4; flushed++)
        {
            await store.WaitForFlushesAsync(flushed + 1);
            store.Flushes[flushed].Complete();
        }

        await Task.WhenAll(all);
        Assert.Equal([1, 3, 3, 1], store.Flushes.Select(flush => flush.Shares.Count));
    }

    [Fact]
    public async Task Records_and_respondent_answers_bound_a_flush_but_the_first_share_always_goes()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, new CommitBounds { MaxRecords = 2, MaxRespondentAnswers = 2 });

        // Detractors are recorded: three records in one share is past the bound, and it goes alone all the same.
        var first = committer.ApplyAsync(null, Fold(Answer("p1", 9)), null);
        var big = committer.ApplyAsync(null, Fold(Answer("p1", 1), Answer("p1", 2), Answer("p1", 3)), null);
        var small = committer.ApplyAsync(null, Fold(Answer("p1", 1)), null);
        store.Flushes[0].Complete();
        await store.WaitForFlushesAsync(2);
        Assert.Single(store.Flushes[1].Shares);
        store.Flushes[1].Complete();
        await store.WaitForFlushesAsync(3);
        Assert.Single(store.Flushes[2].Shares);
        store.Flushes[2].Complete();
        await Task.WhenAll(first, big, small);
    }

    [Fact]
    public async Task A_respondent_answers_at_most_once_per_flush_so_a_share_repeating_one_waits_for_the_next()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var first = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var ana = committer.ApplyAsync(Stamp("b", 1), Fold(Answer("p1", 9, respondent: "ana")), null);
        var bob = committer.ApplyAsync(Stamp("c", 1), Fold(Answer("p1", 9, respondent: "bob")), null);
        var anaAgain = committer.ApplyAsync(Stamp("d", 1), Fold(Answer("p1", 3, respondent: "ana")), null);
        var plain = committer.ApplyAsync(Stamp("e", 1), Fold(Answer("p1", 7)), null);

        store.Flushes[0].Complete();
        await store.WaitForFlushesAsync(2);
        // The lane keeps its order: the share after the repeated respondent waits behind it.
        Assert.Equal(["b", "c"], store.Flushes[1].Shares.Select(share => share.Writer!.Value.WriterId));
        store.Flushes[1].Complete();
        await store.WaitForFlushesAsync(3);
        Assert.Equal(["d", "e"], store.Flushes[2].Shares.Select(share => share.Writer!.Value.WriterId));
        store.Flushes[2].Complete();
        await Task.WhenAll(first, ana, bob, anaAgain, plain);
    }

    [Fact]
    public async Task Each_product_has_its_own_lane_so_a_busy_product_does_not_hold_another()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var busy = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var other = committer.ApplyAsync(Stamp("b", 1), Fold(Answer("p2", 9)), null);

        Assert.Equal(["p1", "p2"], store.Flushes.Select(flush => flush.ProductId));
        store.Flushes[1].Complete();
        await other;
        Assert.False(busy.IsCompleted);
        store.Flushes[0].Complete();
        await busy;
    }

    [Fact]
    public async Task Past_the_instance_bound_of_flushes_a_product_waits_its_turn_and_gathers_the_shares_of_every_stream_meanwhile()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, new CommitBounds { MaxFlushesInFlight = 2 });

        var p1 = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var p2 = committer.ApplyAsync(Stamp("a", 2), Fold(Answer("p2", 9)), null);
        // Both places are taken: p3, then p4, become ready and gather what reaches them.
        var waiting = new List<Task<ApplyOutcome>>();
        foreach (var (writer, product) in new[] { ("b", "p3"), ("c", "p4"), ("d", "p3"), ("e", "p3"), ("f", "p4") })
        {
            waiting.Add(committer.ApplyAsync(Stamp(writer, 1), Fold(Answer(product, 7)), null));
        }

        Assert.Equal(["p1", "p2"], store.Flushes.Select(flush => flush.ProductId));
        Assert.Equal(2, committer.FlushesInFlight);
        store.Flushes[1].Complete();
        await store.WaitForFlushesAsync(3);
        Assert.Equal("p3", store.Flushes[2].ProductId);
        Assert.Equal(["b", "d", "e"], store.Flushes[2].Shares.Select(share => share.Writer!.Value.WriterId));
        Assert.Equal(2, committer.FlushesInFlight);
        store.Flushes[0].Complete();
        await store.WaitForFlushesAsync(4);
        Assert.Equal("p4", store.Flushes[3].ProductId);
        Assert.Equal(["c", "f"], store.Flushes[3].Shares.Select(share => share.Writer!.Value.WriterId));

        store.Flushes[2].Complete();
        store.Flushes[3].Complete();
        await Task.WhenAll([p1, p2, .. waiting]);
        Assert.Equal(4, store.Flushes.Count);
        Assert.Equal(0, committer.FlushesInFlight);
        Assert.Equal(0, committer.ActiveLanes);
    }

    [Fact]
    public async Task A_lane_with_shares_gathered_during_its_flush_goes_behind_the_lanes_already_ready()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, new CommitBounds { MaxFlushesInFlight = 1 });

        var first = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var other = committer.ApplyAsync(Stamp("b", 1), Fold(Answer("p2", 9)), null);
        var again = committer.ApplyAsync(Stamp("a", 2), Fold(Answer("p1", 3)), null);

        store.Flushes[0].Complete();
        await store.WaitForFlushesAsync(2);
        Assert.Equal("p2", store.Flushes[1].ProductId);
        Assert.False(again.IsCompleted);
        store.Flushes[1].Complete();
        await store.WaitForFlushesAsync(3);
        Assert.Equal("p1", store.Flushes[2].ProductId);
        store.Flushes[2].Complete();
        await Task.WhenAll(first, other, again);
    }

    [Fact]
    public async Task Flushes_in_the_store_never_pass_the_instance_bound_whatever_the_number_of_products()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, new CommitBounds { MaxFlushesInFlight = 3 });

        var batches = Enumerable.Range(0, 20)
            .Select(i => committer.ApplyAsync(Stamp($"w{i}", 1), Fold(Answer($"p{i % 7}", 9), Answer($"p{(i + 3) % 7}", 2)), null))
            .ToList();
        var completed = 0;
        while (batches.Any(batch => !batch.IsCompleted))
        {
            var open = store.Flushes.Where(flush => !flush.Completion.Task.IsCompleted).ToList();
            Assert.InRange(open.Count, 1, 3);
            Assert.True(committer.FlushesInFlight <= 3);
            open[0].Complete();
            completed++;
            await WaitUntilAsync(() => batches.All(batch => batch.IsCompleted) || store.Flushes.Any(flush => !flush.Completion.Task.IsCompleted));
        }

        Assert.All(await Task.WhenAll(batches), outcome => Assert.Equal(2, outcome.AppliedProducts));
        // 40 shares over 7 products: gathering put them in fewer flushes than shares.
        Assert.InRange(completed, 7, 39);
        Assert.Equal(40, store.Flushes.Sum(flush => flush.Shares.Count));
    }

    [Fact]
    public async Task A_batch_of_several_products_is_acknowledged_once_every_share_applied_and_its_replicas_are_awaited_once_with_every_product()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var applying = committer.ApplyAsync(Stamp("w", 4), Fold(Answer("p1", 9), Answer("p2", 9), Answer("p3", 9)), null);

        store.Flushes[0].Complete();
        store.Flushes[2].Complete();
        await Task.Delay(20);
        Assert.False(applying.IsCompleted);
        Assert.Empty(store.ReplicaWaits);
        store.Flushes[1].Complete();
        Assert.Equal(3, (await applying).AppliedProducts);
        Assert.Equal(["p1", "p2", "p3"], Assert.Single(store.ReplicaWaits));
    }

    [Fact]
    public async Task The_outcome_names_the_products_applied_before_and_each_respondent_answer_by_its_request_index()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var applying = committer.ApplyAsync(Stamp("w", 4), Fold(Answer("p1", 9, respondent: "ana"), Answer("p2", 9), Answer("p1", 2, respondent: "bob")), null);

        store.Flushes[0].Complete(new ShareOutcome(ShareVerdict.Applied, new Dictionary<int, ResponseOutcome> { [0] = ResponseOutcome.Replaced, [2] = ResponseOutcome.Superseded }));
        store.Flushes[1].Complete(new ShareOutcome(ShareVerdict.AlreadyApplied));
        var outcome = await applying;
        Assert.Equal(1, outcome.AppliedProducts);
        Assert.Equal(1, outcome.DuplicateProducts);
        Assert.True(outcome.WasAlreadyApplied(1));
        Assert.False(outcome.WasAlreadyApplied(0));
        Assert.Equal(ResponseOutcome.Replaced, outcome.RespondentOutcomes![0]);
        Assert.Equal(ResponseOutcome.Superseded, outcome.RespondentOutcomes[2]);
    }

    [Fact]
    public async Task A_share_whose_predecessor_was_not_applied_fails_its_batch_as_unavailable_and_the_others_still_apply()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var refused = committer.ApplyAsync(Stamp("w", 5), Fold(Answer("p1", 9)), [4]);
        var other = committer.ApplyAsync(Stamp("v", 1), Fold(Answer("p1", 9)), null);

        Assert.Equal(4, store.Flushes[0].Shares[0].Predecessor);
        store.Flushes[0].Complete(new ShareOutcome(ShareVerdict.PredecessorNotApplied));
        var failure = await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => refused);
        Assert.Contains("batch 5 was not applied", failure.Message);
        await store.WaitForFlushesAsync(2);
        store.Flushes[1].Complete();
        Assert.Equal(1, (await other).AppliedProducts);
    }

    [Fact]
    public async Task A_flush_the_store_fails_fails_every_batch_in_it_and_the_lane_goes_on_with_the_next()
    {
        var store = new GatedStore();
        var committer = new IngestionCommitter(store);

        var first = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var second = committer.ApplyAsync(Stamp("b", 1), Fold(Answer("p1", 9)), null);
        var third = committer.ApplyAsync(Stamp("c", 1), Fold(Answer("p1", 9)), null);
        store.Flushes[0].Complete();
        await first;
        await store.WaitForFlushesAsync(2);
        store.Flushes[1].Fail(new ScoreStoreUnavailableException("Redis is away"));
        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => second);
        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => third);

        var fourth = committer.ApplyAsync(Stamp("d", 1), Fold(Answer("p1", 9)), null);
        await store.WaitForFlushesAsync(3);
        store.Flushes[2].Complete();
        await fourth;
        Assert.Equal(0, committer.ActiveLanes);
    }

    [Fact]
    public async Task A_batch_without_products_is_answered_without_the_store()
    {
        var store = new GatedStore();
        var outcome = await new IngestionCommitter(store).ApplyAsync(Stamp("w", 1), [], null);

        Assert.Equal(0, outcome.AppliedProducts);
        Assert.Empty(store.Flushes);
    }

    [Fact]
    public async Task Each_flush_records_its_shares_and_each_batch_its_apply_time_once_applied_or_failed()
    {
        using var recorded = new Telemetry.RecordedMeasurements();
        var store = new GatedStore();
        var committer = new IngestionCommitter(store, metrics: new Core.Telemetry.NpsMetrics(recorded));

        var first = committer.ApplyAsync(Stamp("a", 1), Fold(Answer("p1", 9)), null);
        var gathered = Enumerable.Range(0, 3).Select(i => committer.ApplyAsync(Stamp($"w{i}", 1), Fold(Answer("p1", i)), null)).ToList();
        Assert.Empty(recorded.Of("nps.ingestion.apply.duration"));
        store.Flushes[0].Complete();
        await first;
        await store.WaitForFlushesAsync(2);
        store.Flushes[1].Fail(new ScoreStoreUnavailableException("Redis went away."));
        await Assert.ThrowsAsync<ScoreStoreUnavailableException>(() => Task.WhenAll(gathered));

        Assert.Equal([1.0, 3.0], recorded.Of("nps.ingestion.flush.shares").Select(m => m.Value));
        Assert.Equal(
            ["", "error.type=NpsGrpc.Core.Storage.ScoreStoreUnavailableException", "error.type=NpsGrpc.Core.Storage.ScoreStoreUnavailableException", "error.type=NpsGrpc.Core.Storage.ScoreStoreUnavailableException"],
            recorded.Of("nps.ingestion.apply.duration").Select(m => m.Tags));
    }

    private static WriterStamp Stamp(string writer, long sequence) => new(writer, sequence);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited++)
        {
            Assert.True(waited < 500, "The committer never reached the expected state.");
            await Task.Delay(10);
        }
    }

    private static SurveyAnswer Answer(string product, int score, string? respondent = null) =>
        new(product, score, new Dictionary<string, string>(), TestContexts.Now.AddHours(-1), respondent);

    private static IReadOnlyList<ProductIncrements> Fold(params SurveyAnswer[] answers) => BatchFolder.Fold(answers, Context).Products;

    private static readonly FoldContext Context = new(TestContexts.Now, new DayRetention(DayRetention.DefaultRetention)) { Records = RecordRules.Default };

    /// <summary>A store whose flushes wait until the test completes them, so what gathers meanwhile can be seen.</summary>
    private sealed class GatedStore : IScoreStore
    {
        private readonly List<Flush> _flushes = [];
        private readonly List<IReadOnlyList<string>> _replicaWaits = [];

        public IReadOnlyList<Flush> Flushes
        {
            get
            {
                lock (_flushes)
                {
                    return [.. _flushes];
                }
            }
        }

        public IReadOnlyList<IReadOnlyList<string>> ReplicaWaits
        {
            get
            {
                lock (_replicaWaits)
                {
                    return [.. _replicaWaits];
                }
            }
        }

        public async Task WaitForFlushesAsync(int count)
        {
            for (var waited = 0; Flushes.Count < count; waited++)
            {
                Assert.True(waited < 500, $"{Flushes.Count} flush(es) reached the store, not {count}.");
                await Task.Delay(10);
            }
        }

        public Task<IReadOnlyList<ShareOutcome>> ApplySharesAsync(string productId, IReadOnlyList<ProductShare> shares, CancellationToken cancellationToken)
        {
            Assert.All(shares, share => Assert.Equal(productId, share.Increments.ProductId));
            var flush = new Flush(productId, shares);
            lock (_flushes)
            {
                _flushes.Add(flush);
            }

            return flush.Completion.Task;
        }

        public Task AwaitReplicasAsync(IReadOnlyList<string> productIds, CancellationToken cancellationToken)
        {
            lock (_replicaWaits)
            {
                _replicaWaits.Add(productIds);
            }

            return Task.CompletedTask;
        }

        public Task<ScoreDistribution?> GetDistributionAsync(ScoreQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ScoreDistribution>?> GetWindowsAsync(ScoreQuery query, IReadOnlyList<IReadOnlyList<TimeBucket>> windows, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<(SegmentLabel Label, ScoreDistribution Distribution)>?> GetSegmentsAsync(string productId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    private sealed class Flush(string productId, IReadOnlyList<ProductShare> shares)
    {
        public string ProductId { get; } = productId;

        public IReadOnlyList<ProductShare> Shares { get; } = shares;

        public TaskCompletionSource<IReadOnlyList<ShareOutcome>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(ShareOutcome? outcome = null) =>
            Completion.SetResult([.. Shares.Select(_ => outcome ?? new ShareOutcome(ShareVerdict.Applied))]);

        public void Fail(Exception failure) => Completion.SetException(failure);
    }
}
