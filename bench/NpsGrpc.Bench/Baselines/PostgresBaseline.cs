using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;

namespace NpsGrpc.Bench.Baselines;

/// <summary>
/// The way a team would build this without us: every response a row of a <c>responses</c> table with an index on
/// the product, written with binary COPY one batch at a time (durable: synchronous_commit on), and NPS computed
/// by one aggregate query per read.
/// </summary>
internal sealed class PostgresBaseline(NpgsqlDataSource dataSource)
{
    public const string Schema = """
        DROP TABLE IF EXISTS responses;
        CREATE TABLE responses (
          product_id    text        NOT NULL,
          score         smallint    NOT NULL CHECK (score BETWEEN 0 AND 10),
          answered_at   timestamptz NOT NULL DEFAULT now(),
          segments      jsonb,
          respondent_id text
        );
        CREATE INDEX responses_product ON responses (product_id);
        DROP TABLE IF EXISTS tallies;
        CREATE TABLE tallies (
          product_id text     NOT NULL,
          tally      text     NOT NULL,
          score      smallint NOT NULL,
          count      bigint   NOT NULL,
          PRIMARY KEY (product_id, tally, score)
        );
        DROP TABLE IF EXISTS writers;
        CREATE TABLE writers (writer_id text PRIMARY KEY, sequence bigint NOT NULL);
        """;

    /// <summary>
    /// One batch folded as our server folds it, written in one transaction: the writer's sequence moved on (exactly
    /// once, as ours), then every (product, tally, score) count added with one INSERT ... ON CONFLICT DO UPDATE, its
    /// rows in key order so that concurrent transactions lock them in the same order and never deadlock.
    /// </summary>
    public const string TallyUpsert = """
        INSERT INTO tallies (product_id, tally, score, count)
        SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[])
        ON CONFLICT (product_id, tally, score) DO UPDATE SET count = tallies.count + EXCLUDED.count
        """;

    public const string WriterAdvance = """
        INSERT INTO writers (writer_id, sequence) VALUES ($1, $2)
        ON CONFLICT (writer_id) DO UPDATE SET sequence = EXCLUDED.sequence WHERE writers.sequence < EXCLUDED.sequence
        """;

    public const string ScoreQuery = """
        SELECT count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score BETWEEN 7 AND 8), count(*) FILTER (WHERE score <= 6)
        FROM responses WHERE product_id = $1
        """;

    public const string IntervalScoreQuery = ScoreQuery + " AND answered_at >= $2 AND answered_at < $3";

    public async Task ResetAsync()
    {
        await using var command = dataSource.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Ingestion at the same concurrency: each worker COPYs whole batches, one transaction each.</summary>
    public async Task<IngestResult> IngestAsync(int workers, IReadOnlyList<EncodedResponses> batches, TimeSpan duration, DateTimeOffset now)
    {
        var latencies = new Latencies();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var ticks = new List<long>();
            long rows = 0, batchCount = 0;
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var batch = batches[(int)((worker + batchCount) % batches.Count)];
                var before = Stopwatch.GetTimestamp();
                rows += await CopyAsync(connection, batch, now).ConfigureAwait(false);
                ticks.Add(Stopwatch.GetTimestamp() - before);
                batchCount++;
            }

            latencies.AddRange(ticks);
            return (rows, batchCount);
        }))).ConfigureAwait(false);
        return new IngestResult(counts.Sum(c => c.rows), counts.Sum(c => c.batchCount), Stopwatch.GetElapsedTime(started).TotalSeconds, latencies, 0, 0);
    }

    /// <summary>
    /// The like-for-like baseline: the same tallies as ours kept in PostgreSQL, each worker writing whole batches
    /// (see <see cref="TallyUpsert"/>) as its own writer with increasing sequences, one transaction per batch.
    /// </summary>
    public async Task<IngestResult> IngestTalliesAsync(int workers, IReadOnlyList<EncodedResponses> batches, TimeSpan duration, DateTimeOffset now)
    {
        var folded = batches.Select(batch => FoldedTallies.Of(batch, now)).ToList();
        var latencies = new Latencies();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var writers = Guid.NewGuid().ToString("N")[..8];
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var ticks = new List<long>();
            long rows = 0, batchCount = 0;
            await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var index = (int)((worker + batchCount) % batches.Count);
                var before = Stopwatch.GetTimestamp();
                await using (var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false))
                {
                    await using (var advance = new NpgsqlCommand(WriterAdvance, connection, transaction))
                    {
                        advance.Parameters.Add(new NpgsqlParameter { Value = $"{writers}-{worker}" });
                        advance.Parameters.Add(new NpgsqlParameter { Value = batchCount + 1 });
                        await advance.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }

                    var tallies = folded[index];
                    await using (var upsert = new NpgsqlCommand(TallyUpsert, connection, transaction))
                    {
                        upsert.Parameters.Add(new NpgsqlParameter { Value = tallies.Products, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                        upsert.Parameters.Add(new NpgsqlParameter { Value = tallies.Tallies, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                        upsert.Parameters.Add(new NpgsqlParameter { Value = tallies.Scores, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                        upsert.Parameters.Add(new NpgsqlParameter { Value = tallies.Counts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                        await upsert.ExecuteNonQueryAsync().ConfigureAwait(false);
                    }

                    await transaction.CommitAsync().ConfigureAwait(false);
                }

                ticks.Add(Stopwatch.GetTimestamp() - before);
                rows += batches[index].Count;
                batchCount++;
            }

            latencies.AddRange(ticks);
            return (rows, batchCount);
        }))).ConfigureAwait(false);
        return new IngestResult(counts.Sum(c => c.rows), counts.Sum(c => c.batchCount), Stopwatch.GetElapsedTime(started).TotalSeconds, latencies, 0, 0);
    }

    /// <summary>Adds <paramref name="count"/> rows of one product in one statement (generate_series), answered over the last two years.</summary>
    public async Task AddRowsAsync(string productId, long count)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO responses (product_id, score, answered_at)
            SELECT $1, (random() * 10)::int, now() - random() * interval '730 days' FROM generate_series(1, $2)
            """);
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter { Value = productId });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        await using var analyze = dataSource.CreateCommand("ANALYZE responses");
        analyze.CommandTimeout = 0;
        await analyze.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>One read: the three counts NPS needs, over all time or over [start, end).</summary>
    public async Task ScoreAsync(string productId, DateTimeOffset? start = null, DateTimeOffset? end = null)
    {
        await using var command = dataSource.CreateCommand(start is null ? ScoreQuery : IntervalScoreQuery);
        command.CommandTimeout = 0;
        command.Parameters.Add(new NpgsqlParameter { Value = productId });
        if (start is { } from && end is { } to)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = from.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = to.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, EncodedResponses batch, DateTimeOffset now)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY responses (product_id, score, answered_at, segments, respondent_id) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        foreach (var response in batch.Responses)
        {
            await importer.StartRowAsync().ConfigureAwait(false);
            await importer.WriteAsync(response.ProductId, NpgsqlDbType.Text).ConfigureAwait(false);
            await importer.WriteAsync((short)response.Score, NpgsqlDbType.Smallint).ConfigureAwait(false);
            await importer.WriteAsync((response.AnsweredAt?.ToDateTimeOffset() ?? now).UtcDateTime, NpgsqlDbType.TimestampTz).ConfigureAwait(false);
            if (response.Segments.Count == 0)
            {
                await importer.WriteNullAsync().ConfigureAwait(false);
            }
            else
            {
                await importer.WriteAsync(System.Text.Json.JsonSerializer.Serialize(response.Segments), NpgsqlDbType.Jsonb).ConfigureAwait(false);
            }

            if (response.RespondentId.Length == 0)
            {
                await importer.WriteNullAsync().ConfigureAwait(false);
            }
            else
            {
                await importer.WriteAsync(response.RespondentId, NpgsqlDbType.Text).ConfigureAwait(false);
            }
        }

        return (long)await importer.CompleteAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// A batch's tally increments as our server's folding makes them: per response the all-time, UTC month and UTC day
/// tallies of the product and of each label, summed per (product, tally, score), in key order.
/// </summary>
internal sealed record FoldedTallies(string[] Products, string[] Tallies, short[] Scores, long[] Counts)
{
    public static FoldedTallies Of(EncodedResponses batch, DateTimeOffset now)
    {
        var counts = new SortedDictionary<(string Product, string Tally, short Score), long>();
        foreach (var response in batch.Responses)
        {
            var at = (response.AnsweredAt?.ToDateTimeOffset() ?? now).UtcDateTime;
            var month = at.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var day = at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var score = (short)response.Score;
            foreach (var scope in response.Segments.Select(pair => $":seg:{pair.Key}={pair.Value}").Prepend(string.Empty))
            {
                foreach (var tally in new[] { "all", "m:" + month, "d:" + day })
                {
                    var key = (response.ProductId, tally + scope, score);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        return new FoldedTallies(
            [.. counts.Keys.Select(key => key.Product)], [.. counts.Keys.Select(key => key.Tally)], [.. counts.Keys.Select(key => key.Score)], [.. counts.Values]);
    }
}
