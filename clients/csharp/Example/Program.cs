using System.Globalization;
using Grpc.Core;
using NpsGrpc.Client;
using NpsGrpc.V1;

// Address: the first argument, else NPS_SERVER_ADDRESS, else the default of `bash .ci/serve`.
var address = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("NPS_SERVER_ADDRESS") ?? "127.0.0.1:5000";
// A product of its own, new on every run.
var product = "example-csharp-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

using var channel = NpsChannel.ForAddress(address);
var client = new NpsService.NpsServiceClient(channel);

var writer = new NpsWriter(client);
writer.Rejected += (_, r) => Console.WriteLine($"rejected {r.Field}: {r.Description}");
int[] scores = [10, 9, 9, 8, 7, 6, 3, 10, 11];
foreach (var (score, i) in scores.Select((score, i) => (score, i)))
{
    await writer.AddAsync(product, score, new Dictionary<string, string> { ["region"] = i % 2 == 0 ? "eu" : "us" });
}

// Closing flushes and waits for every acknowledgement. A server that cannot be reached is retried for as long as
// it takes, so give up after a while instead of waiting forever.
using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
{
    try
    {
        await writer.CloseAsync(giveUp.Token);
    }
    catch (OperationCanceledException)
    {
        Console.Error.WriteLine($"no acknowledgement from {address} after 15 s and {writer.Reconnects} reconnects: is the server running (bash .ci/serve)?");
        return 1;
    }
}

Console.WriteLine($"writer {writer.WriterId}: {writer.AcceptedCount} accepted, {writer.RejectedCount} rejected");
try
{
    var score = (await client.GetScoreAsync(new GetScoreRequest { ProductId = product })).Score;
    Console.WriteLine(
        $"{product}: NPS {score.Nps:0.#} from {score.Total} responses " +
        $"({score.Promoters} promoters, {score.Passives} passives, {score.Detractors} detractors), " +
        $"95% CI {score.ConfidenceInterval.Lower:0.#} to {score.ConfidenceInterval.Upper:0.#}{(score.LowSample ? ", low sample" : "")}");
}
catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
{
    Console.WriteLine($"{product}: no score yet");
}

return 0;
