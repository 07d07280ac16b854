using NpsGrpc.Bench;

// The load generator of bench/run: every scenario against a running server, its Redis and PostgreSQL.
var options = BenchOptions.Parse(args);
await using var run = await BenchRun.StartAsync(options).ConfigureAwait(false);
await run.RunAsync().ConfigureAwait(false);
