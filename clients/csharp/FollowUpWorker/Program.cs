using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using NpsGrpc.Client;
using NpsGrpc.FollowUpWorker;
using NpsGrpc.V1;

// Watches the follow-up queue of a group: dotnet run --project clients/csharp/FollowUpWorker -- --product my-app
// With TLS and an API key: NPS_API_KEY=nps_... dotnet run ... -- --address https://host:port [--ca-file ca.pem] ...
WorkerOptions options;
GrpcChannel channel;
try
{
    options = WorkerOptions.Parse(args);
    channel = NpsChannel.ForAddress(options.Address, new NpsChannelOptions
    {
        ApiKey = options.ApiKey, // sent as "authorization: Bearer <key>" on every call
        // A private CA's certificate (PEM); without one, the system's CAs.
        TrustedCertificate = options.CaFile is { } caFile ? Certificate(caFile) : null,
    });
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
using var _ = channel;
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
catch (RpcException e) when (!stop.IsCancellationRequested && NpsErrors.IsCertificateFailure(e))
{
    // Not a lost connection either: the server's certificate is not one this worker trusts, and will not become one.
    var trusted = options.CaFile is { } caFile ? $"the CA file given (--ca-file {caFile})" : "this machine's CAs";
    Console.Error.WriteLine($"the server's certificate was not verified against {trusted}: {Innermost(e).Message}");
    return 1;
}
catch (RpcException e) when (!stop.IsCancellationRequested)
{
    // The server's answer, not a lost connection: a bad name, a group created with another filter, a missing or
    // wrong API key (UNAUTHENTICATED), a key without the follow_up scope (PERMISSION_DENIED). Retrying would not help.
    Console.Error.WriteLine($"follow-up stream refused: {StatusName(e.StatusCode)}: {e.Status.Detail}");
    return 1;
}

static X509Certificate2 Certificate(string file)
{
    try
    {
        return X509CertificateLoader.LoadCertificateFromFile(file);
    }
    catch (CryptographicException e)
    {
        throw new ArgumentException($"--ca-file {file}: {e.Message}", e);
    }
}

static Exception Innermost(RpcException e)
{
    Exception cause = e.Status.DebugException ?? e;
    while (cause.InnerException is { } inner)
    {
        cause = inner;
    }

    return cause;
}

// The status as gRPC names it in every language (PERMISSION_DENIED), not as the C# enum does (PermissionDenied).
static string StatusName(StatusCode code) => Regex.Replace(code.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant();
