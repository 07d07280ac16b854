using Grpc.Core;
using NpsGrpc.Client;
using NpsGrpc.FollowUpWorker;
using NpsGrpc.V1;

// Watches the follow-up queue of a group: dotnet run --project clients/csharp/FollowUpWorker -- --product my-app
WorkerOptions options;
try
{
    options = WorkerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"{e.Message}\n{WorkerOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop cleanly: deliveries not acknowledged go back to the group when their lease ends
    stop.Cancel();
};
using var channel = NpsChannel.ForAddress(options.Address);
var worker = new Worker(new NpsService.NpsServiceClient(channel), options, Console.Out);
try
{
    var handled = await worker.RunAsync(stop.Token);
    Console.WriteLine($"handled {handled} records");
    return 0;
}
catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
{
    return 0;
}
catch (RpcException e) when (!stop.IsCancellationRequested)
{
    // The server's answer, not a lost connection: a bad name, a group created with another filter, a missing scope.
    Console.Error.WriteLine($"follow-up stream refused: {e.StatusCode}: {e.Status.Detail}");
    return 1;
}
