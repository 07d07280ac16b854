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
