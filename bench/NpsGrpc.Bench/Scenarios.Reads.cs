using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using NpsGrpc.Bench.Baselines;
using NpsGrpc.Bench.Load;
using NpsGrpc.Bench.Measure;
using NpsGrpc.Bench.Report;
using NpsGrpc.Bench.Workloads;
using NpsGrpc.V1;
using StackExchange.Redis;
using M = NpsGrpc.Bench.Report.Markdown;

namespace NpsGrpc.Bench;

/// <summary>Scenarios 3, 4 and 5: reads, growth and memory.</summary>
internal sealed partial class BenchRun
{
    private async Task ReadsAsync()
    {
        const string product = "read";
        Log("scenario 3: loading");
        var batchCount = _sizes.ReadRows / 1000;
        await _ingest.RunAsync("s3-load", 1, Workload.SpreadOverDays(product, 1000, batchCount, 730, _now), TimeSpan.FromMinutes(10), batchCount).ConfigureAwait(false);
        if (_sql is not null)
        {
            await _sql.ResetAsync().ConfigureAwait(false);
            await _sql.AddRowsAsync(product, _sizes.ReadRows).ConfigureAwait(false);
        }

        var today = DateOnly.FromDateTime(_now.UtcDateTime);
        var tomorrow = today.AddDays(1);
        var monthStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-24);
        var intervals = new (string Name, DateOnly? Start)[] { ("all time", null), ("90 days", today.AddDays(-89)), ("2 years", monthStart) };

        _body.Heading(2, "3. GetScore");
        _body.Paragraph(
            $"Workload: the product `{product}` holds {M.Count(_sizes.ReadRows)} responses answered uniformly over the last 730 days, in Redis " +
            $"(through the server) and as rows in PostgreSQL. A closed loop of `concurrency` callers each waits for its answer before the next call, " +
            $"{M.Seconds(_sizes.Cell.TotalSeconds)} s per cell; 90 days is [today - 89 days, tomorrow), 2 years is [{monthStart:yyyy-MM-dd}, tomorrow) " +
            $"(24 month tallies plus this month's days). Raw limit: `redis-benchmark` HMGET of the 11 score fields at the same concurrency " +
            $"(one hash: what an all-time read costs Redis). PostgreSQL: one aggregate query (three `count(*) FILTER`) per read, over the index on product.");

        var floors = await GrpcFloorAsync(product).ConfigureAwait(false);
        var allTime = new Dictionary<int, double>();
        var rows = new List<string[]>();
        foreach (var (name, start) in intervals)
        {
            var request = new GetScoreRequest { ProductId = product };
            if (start is { } from)
            {
                request.StartTime = Midnight(from);
                request.EndTime = Midnight(tomorrow);
            }

            foreach (var concurrency in ReadConcurrency)
            {
                Log($"scenario 3: {name}, concurrency {concurrency}");
                var (result, use) = await _meter.MeasureAsync(() =>
                    ClosedLoop.RunAsync(concurrency, _sizes.Cell, () => _client.GetScoreAsync(request).ResponseAsync)).ConfigureAwait(false);
                var hmget = await LimitAsync("HMGET", concurrency, 1, _sizes.RedisBenchmarkRequests,
                    ["HMGET", "bench:{limit}:all", .. Enumerable.Range(0, 11).Select(i => i.ToString(CultureInfo.InvariantCulture))]).ConfigureAwait(false);
                var sql = _sql is null ? null : await ClosedLoop.RunAsync(concurrency, _sizes.BaselineCell, () => _sql.ScoreAsync(
                    product, start is null ? null : ToInstant(request.StartTime), start is null ? null : ToInstant(request.EndTime))).ConfigureAwait(false);
                rows.Add(Row(
                    name, M.Count(concurrency), M.Count(result.CallsPerSecond), M.Ms(result.Latency.Milliseconds(50)), M.Ms(result.Latency.Milliseconds(99)),
                    M.Ms(result.Latency.Milliseconds(99.9)), M.Count(result.Failures), $"{M.Seconds(use.ServerCpu)} ({Cores(use.ServerCpu, use.Seconds)})",
                    M.Count(hmget.RequestsPerSecond), M.Ratio(result.CallsPerSecond / hmget.RequestsPerSecond),
                    sql is null ? "n/a" : M.Count(sql.CallsPerSecond), sql is null ? "n/a" : M.Ms(sql.Latency.Milliseconds(50)),
                    sql is null ? "n/a" : M.Ratio(result.CallsPerSecond / sql.CallsPerSecond)));
                if (start is null)
                {
                    allTime[concurrency] = result.CallsPerSecond;
                }

                if (start is null && concurrency == 16)
                {
                    var ratio = result.CallsPerSecond / hmget.RequestsPerSecond;
                    var p99 = result.Latency.Milliseconds(99);
                    _headlines.Add((
                        "Scenario 3: GetScore, all time, concurrency 16",
                        $"{M.Count(result.CallsPerSecond)} calls/s ({M.Ratio(ratio)} of HMGET on the product's primary), p50 {M.Ms(result.Latency.Milliseconds(50))} ms, p99 {M.Ms(p99)} ms"));
                    _targets.Add(new TargetResult(
                        "GetScore at concurrency 16: at least half the calls/s of redis-benchmark HMGET at 16 clients, p99 under 2 ms",
                        $"{M.Count(result.CallsPerSecond)} calls/s = {M.Ratio(ratio)} of HMGET's {M.Count(hmget.RequestsPerSecond)}; p99 {M.Ms(p99)} ms",
                        ratio >= 0.5 && p99 < 2,
                        CpuSplit(use) + $" CPU per call: server {use.ServerCpu * 1e6 / result.Calls:F0} µs, load generator {use.ClientCpu * 1e6 / result.Calls:F0} µs, " +
                        $"Redis {use.RedisCpu * 1e6 / result.Calls:F1} µs: a gRPC call over HTTP/2 costs the .NET server and client far more than one HMGET " +
                        "costs redis-benchmark's C client and Redis, and all of them share the two cores." +
                        (floors.TryGetValue(16, out var floor)
                            ? $" The floor, a bare grpc-dotnet GetScore doing one HMGET and nothing else, makes {M.Count(floor.Result.CallsPerSecond)} calls/s " +
                              $"at concurrency 16 = {M.Ratio(floor.Result.CallsPerSecond / hmget.RequestsPerSecond)} of HMGET, p99 {M.Ms(floor.Result.Latency.Milliseconds(99))} ms; " +
                              $"ours makes {M.Ratio(result.CallsPerSecond / floor.Result.CallsPerSecond)} of the floor's calls/s."
                            : string.Empty)));
                }
            }
        }

        _body.Table(
            ["interval", "concurrency", "calls/s", "p50 ms", "p99 ms", "p99.9 ms", "failures", "server CPU s (cores)", "HMGET requests/s", "ours / HMGET",
             "PostgreSQL queries/s", "PostgreSQL p50 ms", "ours / PostgreSQL"],
            rows);
        if (floors.Count > 0)
        {
            _body.Paragraph(
                "The floor of a GetScore call on this machine, measured the same way: `bench/NpsGrpc.Bench.Floor`, a grpc-dotnet server on " +
                "Kestrel (h2c) whose GetScore answers all time with one HMGET of the product's tally and the counts it holds: no API key, " +
                "validation, statistics, interceptor or middleware. It shares the cores, Redis and the load generator with everything else.");
            _body.Table(
                ["call", "concurrency", "calls/s", "p50 ms", "p99 ms", "failures", "floor server CPU s (cores)", "HMGET requests/s", "floor / HMGET", "ours / floor"],
                ReadConcurrency.Select(c => Row(
                    "GetScore, all time", M.Count(c), M.Count(floors[c].Result.CallsPerSecond), M.Ms(floors[c].Result.Latency.Milliseconds(50)),
                    M.Ms(floors[c].Result.Latency.Milliseconds(99)), M.Count(floors[c].Result.Failures),
                    $"{M.Seconds(floors[c].Use.ServerCpu)} ({Cores(floors[c].Use.ServerCpu, floors[c].Use.Seconds)})",
                    M.Count(_limits[("HMGET", c, 1)].RequestsPerSecond), M.Ratio(floors[c].Result.CallsPerSecond / _limits[("HMGET", c, 1)].RequestsPerSecond),
                    M.Ratio(allTime[c] / floors[c].Result.CallsPerSecond))).ToList());
            await H2LoadReadsAsync(product).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// GetScore, all time, driven by h2load against ours and the floor server at concurrency 16 and 64, beside HMGET:
    /// the .NET load generator's own CPU on the shared cores no longer hides the servers' cost.
    /// </summary>
    private async Task H2LoadReadsAsync(string product)
    {
        if (!H2Load.IsInstalled || _floor is not { } floor || _options.FloorServer is not { } floorServer)
        {
            _body.Paragraph("GetScore under h2load: not measured (h2load, from Debian's `nghttp2-client`, or the floor server is missing).");
            return;
        }

        const string method = "/nps.v1.NpsService/GetScore";
        var request = new GetScoreRequest { ProductId = product };
        int[] concurrencies = [16, 64];
        var rows = new List<string[]>();
        var ratios = new List<(int Concurrency, double Ratio, double OursMicros, double FloorMicros)>();
        foreach (var concurrency in concurrencies)
        {
            Log($"scenario 3: h2load, concurrency {concurrency}");
            var (ours, oursUse) = await _meter.MeasureAsync(() => H2Load.RunAsync(_options.Server, method, request, concurrency, _sizes.Cell, WarmUpTime)).ConfigureAwait(false);
            var (bare, bareUse) = await floor.Meter.MeasureAsync(() => H2Load.RunAsync(floorServer, method, request, concurrency, _sizes.Cell, WarmUpTime)).ConfigureAwait(false);
            var hmget = _limits[("HMGET", concurrency, 1)].RequestsPerSecond;
            foreach (var (name, result, use) in new[] { ("ours", ours, oursUse), ("floor server", bare, bareUse) })
            {
                if (result.Failed > 0 || result.Status2xx != result.Succeeded)
                {
                    throw new InvalidOperationException($"h2load saw {result.Failed} failed calls and {result.Succeeded - result.Status2xx} without HTTP 200 on {name}.");
                }

                rows.Add(Row(
                    name, M.Count(concurrency), M.Count(result.CallsPerSecond), M.Ms(result.MeanMilliseconds),
                    $"{M.Seconds(use.ServerCpu)} ({Cores(use.ServerCpu, use.Seconds)})", (use.ServerCpu * 1e6 / (result.CallsPerSecond * use.Seconds)).ToString("F0", CultureInfo.InvariantCulture),
                    M.Count(hmget), M.Ratio(result.CallsPerSecond / hmget)));
            }

            ratios.Add((concurrency, ours.CallsPerSecond / bare.CallsPerSecond,
                oursUse.ServerCpu * 1e6 / (ours.CallsPerSecond * oursUse.Seconds), bareUse.ServerCpu * 1e6 / (bare.CallsPerSecond * bareUse.Seconds)));
        }

        _body.Paragraph(
            "The same all-time GetScore driven by `h2load` (nghttp2's C load generator): a gRPC-framed request body, `content-type: application/grpc`, " +
            $"`te: trailers`, over h2c; one connection per caller with one call in flight each, {H2Load.WholeSeconds(_sizes.Cell)} s after a warm-up of {H2Load.WholeSeconds(WarmUpTime)} s. " +
            "h2load sees HTTP statuses only: every call's gRPC status was checked OK by a .NET call before (the floor server must read the same tally). " +
            "Its mean is the mean time per call (h2load prints no percentiles).");
        _body.Table(["server", "concurrency", "calls/s", "mean ms", "server CPU s (cores)", "server CPU µs per call", "HMGET requests/s", "against HMGET"], rows);
        var worst = ratios.MinBy(r => r.Ratio);
        _targets.Add(new TargetResult(
            "GetScore under h2load, concurrency 16 and 64: ours at least 0.9x of the floor server's calls/s",
            string.Join("; ", ratios.Select(r => $"{M.Ratio(r.Ratio)} at {r.Concurrency}")),
            worst.Ratio >= 0.9,
            $"Server CPU per call at concurrency {worst.Concurrency}: ours {worst.OursMicros.ToString("F0", CultureInfo.InvariantCulture)} µs against the floor's {worst.FloorMicros.ToString("F0", CultureInfo.InvariantCulture)} µs, on " +
            "cores h2load and Redis share. Both read all time with one HMGET; the difference is what ours does around it: the middleware every call " +
            "passes (CORS, the dashboard's static files, the call-duration metric, authentication and the API-key policy, and the check that reads " +
            "and parses a unary request once before grpc-dotnet does, so a malformed one gets INVALID_ARGUMENT with its field), the error-mapping " +
            "interceptor, validating the request and planning its interval, and the Score's statistics (the confidence interval and the low-sample " +
            "flag) in the answer."));
    }

    /// <summary>GetScore, all time, on the floor server at each read concurrency (none without one).</summary>
    private async Task<Dictionary<int, (CallResult Result, ResourceUse Use)>> GrpcFloorAsync(string product)
    {
        var floors = new Dictionary<int, (CallResult, ResourceUse)>();
        if (_floor is not { } floor)
        {
            return floors;
        }

        var client = new NpsService.NpsServiceClient(floor.Channel);
        var request = new GetScoreRequest { ProductId = product };
        var ours = (await _client.GetScoreAsync(request).ResponseAsync.ConfigureAwait(false)).Score;
        var bare = (await client.GetScoreAsync(request).ResponseAsync.ConfigureAwait(false)).Score;
        if (!ours.Distribution.SequenceEqual(bare.Distribution) || ours.Total != bare.Total)
        {
            throw new InvalidOperationException($"The floor server answers {bare} where the server answers {ours}: it must read the same tally.");
        }

        await ClosedLoop.RunAsync(16, WarmUpTime, () => client.GetScoreAsync(request).ResponseAsync).ConfigureAwait(false);
        foreach (var concurrency in ReadConcurrency)
        {
            Log($"scenario 3: floor server, concurrency {concurrency}");
            floors[concurrency] = await floor.Meter.MeasureAsync(() =>
                ClosedLoop.RunAsync(concurrency, _sizes.Cell, () => client.GetScoreAsync(request).ResponseAsync)).ConfigureAwait(false);
        }

        return floors;
    }

    private async Task GrowthAsync()
    {
        // Every size is read in each of these rounds, in turn: a background AOF rewrite after the big loads or a
        // throttled core then weighs on all sizes alike instead of on whichever size happened to be read at the time.
        const int rounds = 4;
        _body.Heading(2, "4. Growth");
        if (_sql is not null)
        {
            await _sql.ResetAsync().ConfigureAwait(false);
        }

        var sizes = _sizes.GrowthSteps;
        double loadSeconds = 0, sqlLoadSeconds = 0;
        foreach (var size in sizes)
        {
            Log($"scenario 4: loading {size} responses");
            var batchCount = size / 1000;
            var streams = batchCount >= 4 && batchCount % 4 == 0 ? 4 : 1;
            var batches = Workload.HotProduct(GrowthProduct(size), 1000, _sizes.DistinctBatches, seed: 5);
            loadSeconds += (await _ingest.RunAsync($"s4-{size}", streams, batches, TimeSpan.FromHours(1), batchCount / streams).ConfigureAwait(false)).Seconds;
            if (_sql is not null)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await _sql.AddRowsAsync(GrowthProduct(size), size).ConfigureAwait(false);
                sqlLoadSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
        }

        var callsPerRound = Math.Max(1, _sizes.GrowthReadCalls / rounds);
        var ours = sizes.Select(_ => new List<CallResult>()).ToArray();
        var sql = sizes.Select(_ => new List<CallResult>()).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            Log($"scenario 4: reading round {round} of {rounds}");
            for (var i = 0; i < sizes.Length; i++)
            {
                var request = new GetScoreRequest { ProductId = GrowthProduct(sizes[i]) };
                ours[i].Add(await ClosedLoop.RunAsync(1, _sizes.Cell / 2 / rounds, () => _client.GetScoreAsync(request).ResponseAsync, callsPerRound).ConfigureAwait(false));
                if (_sql is not null)
                {
                    var product = request.ProductId;
                    sql[i].Add(await ClosedLoop.RunAsync(1, _sizes.Cell / rounds, () => _sql.ScoreAsync(product), callsPerRound).ConfigureAwait(false));
                }
            }
        }

        var rows = new List<string[]>();
        var points = new List<(long Stored, double OursMs, double SqlMs)>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var total = (await _client.GetScoreAsync(new GetScoreRequest { ProductId = GrowthProduct(sizes[i]) }).ResponseAsync.ConfigureAwait(false)).Score.Total;
            var ourLatency = Latencies.Merge([.. ours[i].Select(run => run.Latency)]);
            var sqlLatency = _sql is null ? null : Latencies.Merge([.. sql[i].Select(run => run.Latency)]);
            var sqlP50 = sqlLatency?.Milliseconds(50) ?? double.NaN;
            points.Add((sizes[i], ourLatency.Milliseconds(50), sqlP50));
            rows.Add(Row(M.Count(sizes[i]), M.Count(total), M.Count(ours[i].Sum(run => run.Calls)), M.Ms(ourLatency.Milliseconds(50)), M.Ms(ourLatency.Milliseconds(99)),
                _sql is null ? "n/a" : M.Count(sql[i].Sum(run => run.Calls)), M.Ms(sqlP50), M.Ms(sqlLatency?.Milliseconds(99) ?? double.NaN), M.Ratio(sqlP50 / ourLatency.Milliseconds(50))));
        }

        var ratio = points[^1].OursMs / points[0].OursMs;
        var sqlGrowth = points[^1].SqlMs / points[0].SqlMs;
        _body.Paragraph(
            $"Workload: one product per size (`{GrowthProduct(sizes[0])}` … `{GrowthProduct(sizes[^1])}`), loaded one after the other through the server in batches " +
            $"of 1000 (exactly-once on; {M.Count(sizes.Sum())} responses in {M.Seconds(loadSeconds)} s, {M.Count(sizes.Sum() / loadSeconds)} responses/s) and in " +
            $"PostgreSQL with INSERT ... SELECT generate_series ({M.Seconds(sqlLoadSeconds)} s, then ANALYZE). Then GetScore (all time) and the SQL aggregate query " +
            $"are timed at concurrency 1 on every size in turn, in {rounds} rounds, up to {M.Count(callsPerRound * rounds)} calls or " +
            $"{M.Seconds(_sizes.Cell.TotalSeconds / 2)} s (SQL: {M.Seconds(_sizes.Cell.TotalSeconds)} s) per size in all, so that every size is read in the same conditions. \"total\" is what GetScore reports: every response counted once.");
        _body.Table(["responses stored", "GetScore total", "our calls", "ours p50 ms", "ours p99 ms", "SQL calls", "SQL p50 ms", "SQL p99 ms", "SQL / ours (p50)"], rows);
        _body.Paragraph(
            $"Our p50 at {M.Count(points[^1].Stored)} responses is {M.Ratio(ratio)} its p50 at {M.Count(points[0].Stored)}; " +
            $"the SQL query's is {M.Ratio(sqlGrowth)}.");
        _body.Raw("![GetScore latency against responses stored, ours and PostgreSQL, log-log](benchmarks.png)");
        GrowthChart.Save(Path.Combine(_options.OutDirectory, "benchmarks.png"), points);
        _targets.Add(new TargetResult(
            $"Growth: GetScore latency at {M.Count(points[^1].Stored)} responses within 1.5x of its latency at {M.Count(points[0].Stored)}, while SQL grows with n",
            $"{M.Ratio(ratio)} (p50); SQL {M.Ratio(sqlGrowth)}",
            ratio <= 1.5 && (_sql is null || sqlGrowth > 1.5),
            "Reads are one HMGET of an 11-field hash whatever the count; what varies is noise on the shared cores."));
    }

    private static string GrowthProduct(long size) => $"growth-{size}";

    private async Task MemoryAsync()
    {
        Log("scenario 5: memory");
        var db = _redis.GetDatabase();
        await _redisServer.FlushAllDatabasesAsync().ConfigureAwait(false);
        var before = await UsedMemoryAsync().ConfigureAwait(false);

        // Every product gets every label of every vocabulary: its tallies are all time, month and day, each for the product and for each label.
        var labels = Workload.Vocabularies.Sum(v => v.Values.Length);
        var products = _sizes.MemoryProducts;
        var perProduct = 3 * labels * 2; // enough responses that each label of each vocabulary is seen
        var batches = MemoryBatches(products, perProduct);
        await _ingest.RunAsync("s5-products", 1, batches, TimeSpan.FromHours(1), batches.Length).ConfigureAwait(false);
        var afterProducts = await UsedMemoryAsync().ConfigureAwait(false);
        var keys = await _redisServer.DatabaseSizeAsync().ConfigureAwait(false);
        var tallies = products * (1 + labels) * 3L;
        var allKey = await db.ExecuteAsync("MEMORY", "USAGE", "nps:{mem-0000}:all").ConfigureAwait(false);
        var segKey = await db.ExecuteAsync("MEMORY", "USAGE", $"nps:{{mem-0000}}:seg:{Workload.Vocabularies[0].Key}={Workload.Vocabularies[0].Values[0]}").ConfigureAwait(false);

        var respondents = _sizes.MemoryRespondents;
        var respondentBatches = Workload.DistinctRespondents("mem-respondents", 1000, respondents / 1000);
        await _ingest.RunAsync("s5-respondents", 1, respondentBatches, TimeSpan.FromHours(1), respondentBatches.Length).ConfigureAwait(false);
        var afterRespondents = await UsedMemoryAsync().ConfigureAwait(false);
        var respondentKey = await db.ExecuteAsync("MEMORY", "USAGE", "nps:{mem-respondents}:r:customer-0").ConfigureAwait(false);

        _body.Heading(2, "5. Redis memory");
        _body.Paragraph(
            $"Workload: after FLUSHALL, {M.Count(products)} products each receive {M.Count(perProduct)} responses carrying every label of the three vocabularies " +
            $"({labels} labels), answered today; so each product has {(1 + labels) * 3} tallies (all time, month and day, for the product and for each label), " +
            $"its labels set and one writer key. Then {M.Count(respondents)} distinct respondents answer one product. `used_memory` from INFO memory before and after; " +
            "MEMORY USAGE of sample keys.");
        _body.Table(["what", "bytes"],
        [
            Row("used_memory growth per product (all its keys)", M.Count((afterProducts - before) / (double)products)),
            Row($"used_memory growth per tally (hash of up to 11 counts), {M.Count(tallies)} tallies in {M.Count(keys)} keys", M.Count((afterProducts - before) / (double)tallies)),
            Row("MEMORY USAGE of a product's all-time tally", M.Count((long)allKey)),
            Row("MEMORY USAGE of a segment label's all-time tally", M.Count((long)segKey)),
            Row("used_memory growth per respondent", M.Count((afterRespondents - afterProducts) / (double)respondents)),
            Row("MEMORY USAGE of a respondent's state", M.Count((long)respondentKey)),
        ]);
        await RecordMemoryAsync(afterRespondents).ConfigureAwait(false);
    }

    /// <summary>
    /// Bytes per response record (the record, its index entry, its follow-up stream entry and its comment's term counts),
    /// and per counted term, with the cap that bounds a month's terms.
    /// </summary>
    private async Task RecordMemoryAsync(long before)
    {
        var db = _redis.GetDatabase();
        var records = _sizes.MemoryRespondents;
        var random = new Random(7);
        var recordBatches = Enumerable.Range(0, records / 1000).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, 1000).Select(_ =>
            {
                var (comment, language) = Comments.Next(random);
                return new SurveyResponse { ProductId = "mem-records", Score = random.Next(7), Comment = comment, LanguageCode = language };
            })])).ToArray();
        await _ingest.RunAsync("s5-records", 1, recordBatches, TimeSpan.FromHours(1), recordBatches.Length).ConfigureAwait(false);
        var afterRecords = await UsedMemoryAsync().ConfigureAwait(false);
        async Task<long> UsageAsync(string key) => (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0").ConfigureAwait(false);
        var recordHash = await UsageAsync("nps:{mem-records}:rec").ConfigureAwait(false);
        var recordIndex = await UsageAsync("nps:{mem-records}:rec:idx").ConfigureAwait(false);
        var followUps = await UsageAsync("nps:{mem-records}:fu").ConfigureAwait(false);
        var stored = await db.HashLengthAsync("nps:{mem-records}:rec").ConfigureAwait(false);

        // Comments of made-up words (consonants only, so no stemmer or stop list changes them): every word a stem of its own,
        // more of them than a month keeps.
        const int WordsPerComment = 10;
        var termBatches = 4 * records / 10_000;
        var next = 0;
        string Word(int n)
        {
            const string letters = "bcdfghjklmnpqrtvwxz";
            var chars = new List<char> { 'z', 'q' };
            for (var v = n; v > 0 || chars.Count < 5; v /= letters.Length)
            {
                chars.Add(letters[v % letters.Length]);
            }

            return new string([.. chars]);
        }

        var wordBatches = Enumerable.Range(0, termBatches).Select(_ => new EncodedResponses(
            [.. Enumerable.Range(0, 1000).Select(_ => new SurveyResponse
            {
                ProductId = "mem-terms",
                Score = 0,
                LanguageCode = "en",
                Comment = string.Join(' ', Enumerable.Range(0, WordsPerComment).Select(_ => Word(next++))),
            })])).ToArray();
        await _ingest.RunAsync("s5-terms", 1, wordBatches, TimeSpan.FromHours(1), wordBatches.Length).ConfigureAwait(false);
        var month = _now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var termKey = $"nps:{{mem-terms}}:t:D:{month}";
        var surfaceKey = $"nps:{{mem-terms}}:tf:{month}";
        var stems = await db.HashLengthAsync(termKey).ConfigureAwait(false) - 2; // '#comments' and '#terms' are not stems
        var termBytes = await UsageAsync(termKey).ConfigureAwait(false) + await UsageAsync(surfaceKey).ConfigureAwait(false);
        var cap = NpsGrpc.Core.Ingestion.RecordRules.DefaultTermsPerMonth; // bench/run starts the server with the defaults

        _body.Paragraph(
            $"Then {M.Count(records)} detractors with comments ({M.Count(recordBatches.SelectMany(b => b.Responses).Average(r => r.Comment.Length))} " +
            $"characters on average, as in scenario 2's commented mix) answer one product: each is recorded (the record as JSON in a hash, an index entry, " +
            $"a follow-up stream entry) and its comment's terms are counted. And {M.Count(termBatches * 1000)} detractors of another product write comments of " +
            $"{WordsPerComment} made-up words each, {M.Count(next)} distinct words: a month's key-term hash of a category takes a new stem only while it holds " +
            $"fewer than `Records:TermsPerMonth` ({M.Count(cap)}, the default) stems, so what a month's terms take is bounded whatever customers write " +
            "(later new words are not counted; words already held keep counting).");
        _body.Table(["what", "bytes"],
        [
            Row($"used_memory growth per record ({M.Count(stored)} records kept)", M.Count((afterRecords - before) / (double)records)),
            Row("MEMORY USAGE of the records hash, per record", M.Count(recordHash / (double)stored)),
            Row("MEMORY USAGE of the record index, per record", M.Count(recordIndex / (double)stored)),
            Row("MEMORY USAGE of the follow-up stream, per record", M.Count(followUps / (double)stored)),
            Row($"stems kept in the month's detractor term hash, of {M.Count(next)} distinct words written", M.Count(stems)),
            Row("MEMORY USAGE of the month's term and surface hashes, per stem kept", M.Count(termBytes / (double)stems)),
        ]);
    }

    private EncodedResponses[] MemoryBatches(int products, int perProduct)
    {
        var random = new Random(6);
        var all = new List<SurveyResponse>(products * perProduct);
        for (var p = 0; p < products; p++)
        {
            for (var i = 0; i < perProduct; i++)
            {
                var response = new SurveyResponse { ProductId = $"mem-{p:D4}", Score = random.Next(11) };
                foreach (var (key, values) in Workload.Vocabularies)
                {
                    response.Segments[key] = values[i % values.Length];
                }

                all.Add(response);
            }
        }

        return [.. all.Chunk(1000).Select(chunk => new EncodedResponses(chunk))];
    }

    private async Task<long> UsedMemoryAsync()
    {
        var info = (await _redisServer.InfoAsync("memory").ConfigureAwait(false)).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        return long.Parse(info["used_memory"], CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset ToInstant(Timestamp timestamp) => timestamp.ToDateTimeOffset();
}
